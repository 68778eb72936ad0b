#!/usr/bin/env bash
# redis-benchmark against Redis, Garnet and an ActorCache node, in the same run on the same machine.
# See the section "resp-benchmark.sh" in tests/ActorCache.Benchmarks/README.md.
set -euo pipefail

usage() {
    cat <<'EOF'
Usage: tests/ActorCache.Benchmarks/resp-benchmark.sh [options]

Runs `redis-benchmark -t set,get -n N -c 50 -d 100 -P X --csv` with X = 1 and 16 against Redis, Garnet and an
ActorCache node (each started here on a free port of 127.0.0.1 with a temp data folder) and prints the ops/s
and the ratios ActorCache/Redis and ActorCache/Garnet.

Options (each also settable by the environment variable in brackets):
  --requests N      requests per redis-benchmark run, per test (RESP_BENCH_REQUESTS, default 1000000)
  --rounds K        rounds; targets are interleaved per round and medians reported (RESP_BENCH_ROUNDS, default 1)
  --clients C       redis-benchmark -c (RESP_BENCH_CLIENTS, default 50)
  --size B          redis-benchmark -d, value size in bytes (RESP_BENCH_SIZE, default 100)
  --warmup N        requests of an unmeasured -P 16 set,get run per target before round 1; 0 = none
                    (RESP_BENCH_WARMUP, default 100000, capped at --requests)
  --run-timeout S   seconds one redis-benchmark run may take before it is killed (RESP_BENCH_RUN_TIMEOUT, default 900)
  --tools-dir DIR   where garnet-server is installed as a dotnet tool
                    (RESP_BENCH_TOOLS_DIR, default tests/ActorCache.Benchmarks/bin/resp-benchmark-tools)
  --no-build        do not build src/ActorCache.Server (use the existing Release build)
  -h, --help        this text
EOF
}

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
REQUESTS="${RESP_BENCH_REQUESTS:-1000000}"
ROUNDS="${RESP_BENCH_ROUNDS:-1}"
CLIENTS="${RESP_BENCH_CLIENTS:-50}"
SIZE="${RESP_BENCH_SIZE:-100}"
WARMUP="${RESP_BENCH_WARMUP:-100000}"
RUN_TIMEOUT="${RESP_BENCH_RUN_TIMEOUT:-900}"
TOOLS_DIR="${RESP_BENCH_TOOLS_DIR:-$REPO_ROOT/tests/ActorCache.Benchmarks/bin/resp-benchmark-tools}"
BUILD=1
GARNET_VERSION="2.2.8"
PIPELINES=(1 16)
TESTS=(SET GET)
TARGETS=(redis garnet actorcache)

while [[ $# -gt 0 ]]; do
    case "$1" in
        --requests) REQUESTS="$2"; shift 2 ;;
        --rounds) ROUNDS="$2"; shift 2 ;;
        --clients) CLIENTS="$2"; shift 2 ;;
        --size) SIZE="$2"; shift 2 ;;
        --warmup) WARMUP="$2"; shift 2 ;;
        --run-timeout) RUN_TIMEOUT="$2"; shift 2 ;;
        --tools-dir) TOOLS_DIR="$2"; shift 2 ;;
        --no-build) BUILD=0; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
    esac
done
for v in REQUESTS ROUNDS CLIENTS SIZE WARMUP RUN_TIMEOUT; do
    if ! [[ "${!v}" =~ ^[0-9]+$ ]]; then echo "$v must be a whole number, got '${!v}'" >&2; exit 2; fi
done
if (( REQUESTS < 1 || ROUNDS < 1 || CLIENTS < 1 || RUN_TIMEOUT < 1 )); then
    echo "--requests, --rounds, --clients and --run-timeout must be at least 1" >&2; exit 2
fi
(( WARMUP > REQUESTS )) && WARMUP=$REQUESTS

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

echo "machine: nproc=$(nproc), load average: $(cut -d' ' -f1-3 /proc/loadavg)"

# ---------------------------------------------------------------- install what is missing
as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

if ! command -v redis-server >/dev/null || ! command -v redis-benchmark >/dev/null || ! command -v redis-cli >/dev/null; then
    log "installing redis-server and redis-tools with apt-get"
    as_root apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y redis-server redis-tools
fi
# Debian's redis-server package starts a system service on install; this script never uses it (own ports only).

GARNET="$TOOLS_DIR/garnet-server"
if [[ ! -x "$GARNET" ]] || ! dotnet tool list --tool-path "$TOOLS_DIR" 2>/dev/null | grep -qiE "^garnet-server +$GARNET_VERSION( |$)"; then
    log "installing garnet-server $GARNET_VERSION into $TOOLS_DIR"
    mkdir -p "$TOOLS_DIR"
    if [[ -x "$GARNET" ]]; then dotnet tool uninstall garnet-server --tool-path "$TOOLS_DIR" >/dev/null; fi
    dotnet tool install garnet-server --version "$GARNET_VERSION" --tool-path "$TOOLS_DIR" >/dev/null
fi

SERVER_DLL="$REPO_ROOT/src/ActorCache.Server/bin/Release/net10.0/ActorCache.Server.dll"
if (( BUILD )); then
    log "building src/ActorCache.Server in Release"
    dotnet build "$REPO_ROOT/src/ActorCache.Server" -c Release -nologo -v quiet >/dev/null
fi
[[ -f "$SERVER_DLL" ]] || { echo "missing $SERVER_DLL (build it, or drop --no-build)" >&2; exit 1; }

# ---------------------------------------------------------------- servers
WORK="$(mktemp -d "${TMPDIR:-/tmp}/resp-benchmark.XXXXXX")"
declare -A PID PORT NAME
NAME[redis]="Redis"; NAME[garnet]="Garnet"; NAME[actorcache]="ActorCache"

cleanup() {
    local rc=$? t
    trap - EXIT INT TERM
    if [[ -n "${BENCH_PID:-}" ]]; then kill -TERM "$BENCH_PID" 2>/dev/null || true; wait "$BENCH_PID" 2>/dev/null || true; fi
    for t in "${TARGETS[@]}"; do
        [[ -n "${PID[$t]:-}" ]] && kill -TERM "${PID[$t]}" 2>/dev/null || true
    done
    for t in "${TARGETS[@]}"; do
        [[ -n "${PID[$t]:-}" ]] || continue
        local i
        for i in $(seq 1 100); do kill -0 "${PID[$t]}" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "${PID[$t]}" 2>/dev/null || true
        wait "${PID[$t]}" 2>/dev/null || true
    done
    rm -rf "$WORK"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

declare -A TAKEN
free_port() {
    local p
    while :; do
        p=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
        [[ -n "${TAKEN[$p]:-}" ]] && continue
        # nothing listening there if a connection is refused
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then TAKEN[$p]=1; echo "$p"; return; fi
    done
}

for t in "${TARGETS[@]}"; do PORT[$t]=$(free_port); mkdir -p "$WORK/$t"; done

redis-server --port "${PORT[redis]}" --bind 127.0.0.1 --save "" --appendonly no --daemonize no \
    --dir "$WORK/redis" >"$WORK/redis.log" 2>&1 &
PID[redis]=$!
# Garnet in memory only (no --storage-tier), started in its own folder.
(cd "$WORK/garnet" && exec "$GARNET" --port "${PORT[garnet]}" --bind 127.0.0.1) >"$WORK/garnet.log" 2>&1 &
PID[garnet]=$!
dotnet "$SERVER_DLL" --data-dir "$WORK/actorcache" --port 0 --resp-port "${PORT[actorcache]}" \
    >"$WORK/actorcache.log" 2>&1 &
PID[actorcache]=$!

wait_ping() {
    local t=$1 deadline=$(( SECONDS + 90 ))
    while :; do
        if ! kill -0 "${PID[$t]}" 2>/dev/null; then
            echo "${NAME[$t]} exited during startup; its log:" >&2; tail -n 30 "$WORK/$t.log" >&2; exit 1
        fi
        if [[ "$(timeout 5 redis-cli -h 127.0.0.1 -p "${PORT[$t]}" PING 2>/dev/null || true)" == "PONG" ]]; then return; fi
        if (( SECONDS > deadline )); then
            echo "${NAME[$t]} did not answer PING within 90 s; its log:" >&2; tail -n 30 "$WORK/$t.log" >&2; exit 1
        fi
        sleep 0.2
    done
}
for t in "${TARGETS[@]}"; do wait_ping "$t"; done

echo "redis: $(redis-server --version | grep -o 'v=[^ ]*') port ${PORT[redis]}; garnet-server $GARNET_VERSION port ${PORT[garnet]};" \
     "ActorCache $(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$REPO_ROOT" diff --quiet HEAD 2>/dev/null || echo '+changes') port ${PORT[actorcache]}"
echo "redis-benchmark -t set,get -n $REQUESTS -c $CLIENTS -d $SIZE -P {1,16} --csv; rounds: $ROUNDS"

# ---------------------------------------------------------------- benchmark runs
declare -A RESULTS   # key "target P TEST" -> space-separated rps of each round

# run_bench TARGET P N -> sets BENCH_RESULT to "SET rps GET rps" (rps "failed" on error).
# redis-benchmark runs in the background and the script waits for it, so a signal to the script is handled at
# once (bash runs traps only between foreground commands) and the cleanup also stops the run.
BENCH_PID=""
BENCH_RESULT=""
run_bench() {
    local t=$1 p=$2 n=$3 out="$WORK/bench.out" err="$WORK/bench.err" rc=0
    timeout --kill-after=10 "$RUN_TIMEOUT" redis-benchmark -h 127.0.0.1 -p "${PORT[$t]}" -t set,get \
        -n "$n" -c "$CLIENTS" -d "$SIZE" -P "$p" --csv >"$out" 2>"$err" &
    BENCH_PID=$!
    wait "$BENCH_PID" || rc=$?
    BENCH_PID=""
    if [[ -s "$err" ]]; then
        local note
        note="$(sort -u "$err" | tr '\n' ' ')"
        log "redis-benchmark stderr (${NAME[$t]}, -P $p): $note"
        echo "${NAME[$t]}: $note" >>"$WORK/stderr-notes"
    fi
    if (( rc != 0 )); then
        log "redis-benchmark against ${NAME[$t]} -P $p failed (exit $rc$( ((rc == 124)) && echo ", timed out after $RUN_TIMEOUT s"))"
    fi
    if ! kill -0 "${PID[$t]}" 2>/dev/null; then
        echo "${NAME[$t]} died during the benchmark; its log:" >&2; tail -n 30 "$WORK/$t.log" >&2; exit 1
    fi
    local test rps line=""
    for test in "${TESTS[@]}"; do
        rps=$(awk -F'"' -v t="$test" '$2 == t { print $4; exit }' "$out")
        [[ "$rps" =~ ^[0-9.]+$ ]] || rps=failed
        line+="$test $rps "
    done
    BENCH_RESULT="$line"
}

if (( WARMUP > 0 )); then
    log "warm-up: $WARMUP requests, -P 16, per target (not measured)"
    for t in "${TARGETS[@]}"; do run_bench "$t" 16 "$WARMUP"; done
fi

slot=0
for (( r = 1; r <= ROUNDS; r++ )); do
    for p in "${PIPELINES[@]}"; do
        # rotate the order every slot so that no target is always first (or always right after another)
        order=()
        for (( i = 0; i < ${#TARGETS[@]}; i++ )); do order+=("${TARGETS[$(( (i + slot) % ${#TARGETS[@]} ))]}"); done
        slot=$(( slot + 1 ))
        for t in "${order[@]}"; do
            run_bench "$t" "$p" "$REQUESTS"
            log "round $r/$ROUNDS -P $p ${NAME[$t]}: $BENCH_RESULT"
            set -- $BENCH_RESULT
            while [[ $# -ge 2 ]]; do RESULTS["$t $p $1"]+="$2 "; shift 2; done
        done
    done
done

# ---------------------------------------------------------------- report
median() {  # of the numbers given; "failed" if any run failed
    tr ' ' '\n' <<<"$*" | sed '/^$/d' | sort -g | awk '{ if ($1 !~ /^[0-9.]+$/) bad = 1; else v[++n] = $1 }
        END { if (bad || n == 0) { print "failed"; exit }
              printf "%.0f\n", (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2 }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/ && b > 0) printf "%.2f", a / b; else print "n/a" }'; }
fmt() { awk -v a="$1" 'BEGIN { if (a ~ /^[0-9.]+$/) printf "%.0f", a; else print a }'; }

echo
(( ROUNDS > 1 )) && echo "median of $ROUNDS rounds, ops/s from redis-benchmark's rps:" || echo "ops/s from redis-benchmark's rps:"
echo
echo "| test | Redis | Garnet | ActorCache | ActorCache/Redis | ActorCache/Garnet |"
echo "|------|------:|-------:|-----------:|-----------------:|------------------:|"
for p in "${PIPELINES[@]}"; do
    for test in "${TESTS[@]}"; do
        rr=$(median ${RESULTS["redis $p $test"]}); gg=$(median ${RESULTS["garnet $p $test"]}); aa=$(median ${RESULTS["actorcache $p $test"]})
        echo "| $test -P$p | $(fmt "$rr") | $(fmt "$gg") | $(fmt "$aa") | $(ratio "$aa" "$rr") | $(ratio "$aa" "$gg") |"
    done
done
if (( ROUNDS > 1 )); then
    echo
    echo "every round (ops/s, in round order):"
    for p in "${PIPELINES[@]}"; do
        for test in "${TESTS[@]}"; do
            for t in "${TARGETS[@]}"; do
                printf '  %-4s -P%-2s %-10s %s\n' "$test" "$p" "${NAME[$t]}" "$(for v in ${RESULTS["$t $p $test"]}; do printf '%s ' "$(fmt "$v")"; done)"
            done
        done
    done
fi
echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
if [[ -s "$WORK/stderr-notes" ]]; then
    echo "redis-benchmark wrote to stderr:"
    sort -u "$WORK/stderr-notes" | sed 's/^/  /'
fi
