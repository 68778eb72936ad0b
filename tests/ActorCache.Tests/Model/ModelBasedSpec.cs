using System.Diagnostics;
using System.Globalization;
using System.Text;
using ActorCache.Client;
using ActorCache.Node;
using ActorCache.Protocol;
using ActorCache.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace ActorCache.Tests.Model;

/// <summary>
/// Model-based test: long random scenarios of string commands over six keys, run against a real node on a fake
/// store with random latency and against <see cref="RedisModel"/>; every reply must be Redis's. Scenarios restart the
/// node (graceful stop, which flushes, then a new node on the same store), move the manual clock so keys expire in
/// memory and on disk, FLUSHDB, and pipeline commands (sent without awaiting, then awaited in order), which must
/// behave as if run one after another in send order. A failing scenario is shrunk and printed with its seed.
/// Environment knobs: <c>MODEL_SEED=n</c> reruns one seed (pick the test with --filter), <c>MODEL_SCENARIOS</c> and
/// <c>MODEL_STEPS</c> change the amount of work, <c>MODEL_LATENCY_MS</c> the store's random latency (default 3).
/// </summary>
public sealed class ModelBasedSpec(ITestOutputHelper output) : NodeSpec(output, Config)
{
    // Stopped nodes stay registered with CoordinatedShutdown; the spec stops each node itself.
    private const string Config = """
        akka.loglevel = WARNING
        akka.coordinated-shutdown.run-by-actor-system-terminate = off
        """;

    private static readonly int LatencyMs = EnvInt("MODEL_LATENCY_MS") ?? 3;
    private const int ShrinkAttempts = 3;
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan ShrinkBudget = TimeSpan.FromSeconds(60);

    // MODEL_EXPIRED_AT_DEADLINE=1 makes the model drop a key at its exact expiry time, as the node does today, to
    // look for other differences past that one.
    private static readonly bool ExpiredAtDeadline = Environment.GetEnvironmentVariable("MODEL_EXPIRED_AT_DEADLINE") == "1";

    private readonly ITestOutputHelper _output = output;

    /// <summary>
    /// Everything but the pipelining of commands that span keys or the database: single-key pipelines, multi-key
    /// commands sent alone, KEYS, DBSIZE, SCAN, FLUSHDB, restarts and expiry.
    /// </summary>
    [Fact]
    public async Task Commands_restarts_expiry_and_single_key_pipelines_agree_with_redis() =>
        await CheckAsync(new GeneratorOptions(Steps(), WholeDatabaseInPipelines: false, FlushDbInPipelines: false, MultiKeyInPipelines: false), Scenarios(100));

    /// <summary>Pipelines that mix DEL, EXISTS, MGET, MSET and RENAME of several keys with commands on those keys.</summary>
    [Fact]
    public async Task Pipelines_with_multi_key_commands_keep_send_order() =>
        await CheckAsync(new GeneratorOptions(Steps(), WholeDatabaseInPipelines: false, FlushDbInPipelines: false, MultiKeyInPipelines: true), Scenarios(60));

    /// <summary>Pipelines that mix FLUSHDB, DBSIZE and KEYS * with commands on keys.</summary>
    [Fact]
    public async Task Pipelines_with_flushdb_dbsize_and_keys_keep_send_order() =>
        await CheckAsync(new GeneratorOptions(Steps(), WholeDatabaseInPipelines: true, FlushDbInPipelines: true, MultiKeyInPipelines: false), Scenarios(60));

    private static int Steps() => EnvInt("MODEL_STEPS") ?? 80;

    private static int Scenarios(int byDefault) => EnvInt("MODEL_SCENARIOS") ?? byDefault;

    private async Task CheckAsync(GeneratorOptions options, int scenarios)
    {
        var fixedSeed = EnvInt("MODEL_SEED");
        var firstSeed = fixedSeed ?? Random.Shared.Next(1, int.MaxValue / 2);
        var count = fixedSeed is null ? scenarios : 1;
        _output.WriteLine($"model-based run: seeds {firstSeed}..{firstSeed + count - 1}, {options.Steps} steps each (rerun one with MODEL_SEED=<seed>)");
        var clock = Stopwatch.StartNew();
        var commands = 0;
        for (var seed = firstSeed; seed < firstSeed + count; seed++)
        {
            var scenario = ScenarioGenerator.Generate(seed, options);
            commands += scenario.CommandCount;
            var result = await RunAsync(scenario);
            if (result.Failure is null) continue;

            _output.WriteLine($"seed {seed} failed at step {result.Failure.StepIndex}: {result.Failure.Message}; shrinking");
            var (minimal, minimalResult) = await ShrinkAsync(scenario, result);
            var reproductions = 0;
            for (var i = 0; i < 10; i++)
            {
                if ((await RunAsync(minimal)).Failure is not null) reproductions++;
            }

            var report = new StringBuilder()
                .AppendLine(CultureInfo.InvariantCulture, $"The node disagrees with Redis. Seed {seed} (rerun with MODEL_SEED={seed}).")
                .AppendLine(CultureInfo.InvariantCulture, $"Original failure at step {result.Failure.StepIndex} of {scenario.Steps.Count}: {result.Failure.Message}")
                .AppendLine(CultureInfo.InvariantCulture, $"Shrunk scenario (failed {reproductions}/10 reruns):")
                .AppendLine(minimal.Describe())
                .AppendLine(CultureInfo.InvariantCulture, $"Failure: step {minimalResult.Failure!.StepIndex}: {minimalResult.Failure.Message}")
                .AppendLine("Transcript of the shrunk run (model's reply ; node's reply):")
                .AppendJoin(Environment.NewLine, minimalResult.Transcript)
                .ToString();
            Assert.Fail(report);
        }

        _output.WriteLine($"{count} scenarios, {commands} commands agreed with the model in {clock.Elapsed.TotalSeconds:F1} s");
    }

    private sealed record Failure(int StepIndex, string Message);

    private sealed record RunResult(Failure? Failure, IReadOnlyList<string> Transcript);

    /// <summary>Runs <paramref name="scenario"/> on a fresh store and a fresh model; the first disagreement ends the run.</summary>
    private async Task<RunResult> RunAsync(Scenario scenario)
    {
        var store = new FakeDiskStore { MaxRandomLatencyMs = LatencyMs };
        var knobs = scenario.Knobs;
        var settings = Settings(s => s with
        {
            Databases = 1,
            CacheFlushDelay = TimeSpan.FromMilliseconds(knobs.FlushDelayMs),
            MaxInFlight = knobs.MaxInFlight,
            LoadBatchSize = knobs.LoadBatchSize,
            SaveBatchSize = knobs.SaveBatchSize,
            NegativeCacheMaxEntries = knobs.NegativeCacheMaxEntries,
            ShutdownFlushTimeout = ReplyTimeout,
        });
        var model = new RedisModel(() => Clock.UnixTimeMs, ExpiredAtDeadline);
        var transcript = new List<string>();
        var (node, client) = await StartNodeAsync(settings, () => store);
        var failure = default(Failure);
        var i = 0;
        try
        {
            for (; i < scenario.Steps.Count && failure is null; i++)
            {
                var step = scenario.Steps[i];
                switch (step)
                {
                    case Command command:
                    {
                        var expected = model.Apply(command.Args);
                        var actual = await ReplyOf(client.ExecuteAsync(command.Args));
                        failure = Compare(i, command, expected, actual, transcript);
                        break;
                    }

                    case Batch batch:
                    {
                        transcript.Add($"{i,4}: pipeline of {batch.Commands.Length}:");
                        var sent = batch.Commands.Select(c => client.ExecuteAsync(c.Args)).ToArray();
                        var expected = batch.Commands.Select(c => model.Apply(c.Args)).ToArray();
                        for (var j = 0; j < sent.Length && failure is null; j++)
                        {
                            failure = Compare(i, batch.Commands[j], expected[j], await ReplyOf(sent[j]), transcript, $" (#{j + 1} of the pipeline)");
                        }

                        break;
                    }

                    case FullScan scan:
                    {
                        var expected = model.LiveKeys();
                        var (keys, error) = await ScanAllAsync(client, scan.Count);
                        var actual = keys.Order(StringComparer.Ordinal).ToArray();
                        var agree = error is null && actual.SequenceEqual(expected);
                        transcript.Add($"{i,4}: {scan} -> {Show(expected)} ; {error ?? Show(actual)}{(agree ? "" : "   <-- DIFFERS")}");
                        if (!agree) failure = new Failure(i, $"{scan}: expected the set {Show(expected)}, node gave {error ?? Show(actual)}");
                        break;
                    }

                    case AdvanceClock advance:
                        Clock.Advance(TimeSpan.FromMilliseconds(advance.Milliseconds));
                        transcript.Add($"{i,4}: {advance}");
                        break;

                    case Restart:
                        await StopAsync(node);
                        (node, client) = await StartNodeAsync(settings, () => store);
                        transcript.Add($"{i,4}: {step}");
                        break;
                }
            }
        }
        catch (TimeoutException ex)
        {
            failure = new Failure(i, $"hang at step {i} ({scenario.Steps[i]}): {ex.Message}");
        }
        finally
        {
            try
            {
                await StopAsync(node);
            }
            catch (TimeoutException ex)
            {
                failure ??= new Failure(scenario.Steps.Count, "hang at the final stop: " + ex.Message);
            }
        }

        return new RunResult(failure, transcript);
    }

    private static async Task StopAsync(ActorCacheNode node)
    {
        try
        {
            await node.StopAsync().WaitAsync(ReplyTimeout * 2);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"the node did not stop within {ReplyTimeout * 2}");
        }
    }

    private static async Task<RedisReply> ReplyOf(Task<RedisReply> reply)
    {
        try
        {
            return await reply.WaitAsync(ReplyTimeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"no reply within {ReplyTimeout}");
        }
    }

    private static async Task<(List<string> Keys, string? Error)> ScanAllAsync(ICacheClient client, int count)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var cursor = "0";
        for (var calls = 0; calls < 10_000; calls++)
        {
            var reply = await ReplyOf(client.ExecuteAsync("SCAN", cursor, "COUNT", count.ToString(CultureInfo.InvariantCulture)));
            if (reply is not ArrayReply { Items: [BulkStringReply { Value: { } next }, ArrayReply { Items: { } page }] })
            {
                return ([], $"SCAN {cursor} gave {reply}");
            }

            foreach (var key in page)
            {
                if (key is not BulkStringReply { Value: { } bytes }) return ([], $"SCAN {cursor} listed {key}");
                keys.Add(Encoding.UTF8.GetString(bytes));
            }

            cursor = Encoding.ASCII.GetString(next);
            if (cursor == "0") return (keys.ToList(), null);
        }

        return ([], "SCAN did not come back to cursor 0 in 10000 calls");
    }

    private static Failure? Compare(int index, Command command, RedisReply expected, RedisReply actual, List<string> transcript, string where = "")
    {
        // KEYS answers in no particular order: compare sorted (duplicates still count).
        if (command.Args[0] == "KEYS" && actual is ArrayReply { Items: { } items } && items.All(k => k is BulkStringReply { Value: not null }))
        {
            actual = new ArrayReply(items.OrderBy(k => Encoding.UTF8.GetString(((BulkStringReply)k).Value!), StringComparer.Ordinal).ToArray());
        }

        var agree = expected.Equals(actual);
        transcript.Add($"{index,4}: {(where.Length > 0 ? "    " : "")}{command} -> {Show(expected)} ; {Show(actual)}{(agree ? "" : "   <-- DIFFERS")}");
        return agree ? null : new Failure(index, $"{command}{where}: Redis replies {Show(expected)}, the node replied {Show(actual)}");
    }

    private static string Show(RedisReply reply) => reply switch
    {
        BulkStringReply { Value: null } => "(nil)",
        BulkStringReply { Value: { } bytes } => "\"" + Encoding.UTF8.GetString(bytes) + "\"",
        IntegerReply i => "(integer) " + i.Value.ToString(CultureInfo.InvariantCulture),
        SimpleStringReply s => s.Value,
        ErrorReply e => "(error) " + e.Message,
        ArrayReply { Items: null } => "(nil array)",
        ArrayReply { Items: { } items } => "[" + string.Join(", ", items.Select(Show)) + "]",
        _ => reply.ToString(),
    };

    private static string Show(IEnumerable<string> keys) => "{" + string.Join(", ", keys.Select(k => "\"" + k + "\"")) + "}";

    /// <summary>
    /// Shrinks a failing scenario: cut what follows the failure, drop chunks of steps (halving the chunk size), drop
    /// commands from pipelines and unpipeline them, drop options and extra keys, merge clock steps, and try the default settings with no flush delay. Concurrency makes some failures
    /// intermittent, so a candidate counts as failing when any of <see cref="ShrinkAttempts"/> runs fails.
    /// </summary>
    private async Task<(Scenario Scenario, RunResult Result)> ShrinkAsync(Scenario scenario, RunResult result)
    {
        var budget = Stopwatch.StartNew();
        var best = (Scenario: Truncate(scenario, result), Result: result);
        var progress = true;
        while (progress && budget.Elapsed < ShrinkBudget)
        {
            progress = false;
            for (var chunk = Math.Max(1, best.Scenario.Steps.Count / 2); chunk >= 1 && budget.Elapsed < ShrinkBudget; chunk /= 2)
            {
                for (var start = 0; start < best.Scenario.Steps.Count && budget.Elapsed < ShrinkBudget;)
                {
                    var steps = best.Scenario.Steps.Take(start).Concat(best.Scenario.Steps.Skip(start + chunk)).ToList();
                    if (await TryCandidate(best.Scenario with { Steps = steps }) is { } smaller)
                    {
                        best = smaller;
                        progress = true;
                    }
                    else
                    {
                        start += chunk;
                    }
                }

                if (chunk == 1) break;
            }

            for (var i = 0; i < best.Scenario.Steps.Count && budget.Elapsed < ShrinkBudget; i++)
            {
                if (best.Scenario.Steps[i] is not Batch batch) continue;
                foreach (var replacement in Simplifications(batch))
                {
                    var steps = best.Scenario.Steps.Take(i).Concat(replacement).Concat(best.Scenario.Steps.Skip(i + 1)).ToList();
                    if (await TryCandidate(best.Scenario with { Steps = steps }) is not { } smaller) continue;
                    best = smaller;
                    progress = true;
                    break;
                }
            }

            for (var i = 0; i < best.Scenario.Steps.Count && budget.Elapsed < ShrinkBudget; i++)
            {
                foreach (var replacement in SimplerSteps(best.Scenario.Steps[i]))
                {
                    var steps = best.Scenario.Steps.Take(i).Append(replacement).Concat(best.Scenario.Steps.Skip(i + 1)).ToList();
                    if (await TryCandidate(best.Scenario with { Steps = steps }) is not { } smaller) continue;
                    best = smaller;
                    progress = true;
                    break;
                }
            }

            for (var i = 0; i + 1 < best.Scenario.Steps.Count && budget.Elapsed < ShrinkBudget; i++)
            {
                if (best.Scenario.Steps[i] is not AdvanceClock first || best.Scenario.Steps[i + 1] is not AdvanceClock second) continue;
                var merged = new AdvanceClock(first.Milliseconds + second.Milliseconds);
                var steps = best.Scenario.Steps.Take(i).Append(merged).Concat(best.Scenario.Steps.Skip(i + 2)).ToList();
                if (await TryCandidate(best.Scenario with { Steps = steps }) is not { } smaller) continue;
                best = smaller;
                progress = true;
                i--;
            }

            if (best.Scenario.Knobs != NodeKnobs.Defaults && await TryCandidate(best.Scenario with { Knobs = NodeKnobs.Defaults }) is { } plain)
            {
                best = plain;
                progress = true;
            }
        }

        return best;
    }

    /// <summary>Smaller forms of a pipeline: each command dropped in turn, then all of it sent one command at a time.</summary>
    private static IEnumerable<IReadOnlyList<Step>> Simplifications(Batch batch)
    {
        for (var j = 0; j < batch.Commands.Length; j++)
        {
            var rest = batch.Commands.Where((_, k) => k != j).ToArray();
            yield return rest.Length == 1 ? [rest[0]] : [new Batch(rest)];
        }

        yield return batch.Commands;
    }

    /// <summary>The step with one of its commands given fewer arguments (options, extra keys) in each possible way.</summary>
    private static IEnumerable<Step> SimplerSteps(Step step)
    {
        switch (step)
        {
            case Command command:
                foreach (var simpler in SimplerCommands(command)) yield return simpler;
                break;
            case Batch batch:
                for (var j = 0; j < batch.Commands.Length; j++)
                {
                    foreach (var simpler in SimplerCommands(batch.Commands[j]))
                    {
                        var commands = batch.Commands.ToArray();
                        commands[j] = simpler;
                        yield return new Batch(commands);
                    }
                }

                break;
        }
    }

    private static IEnumerable<Command> SimplerCommands(Command command)
    {
        var a = command.Args;
        switch (a[0])
        {
            case "SET" when a.Length > 3:
                yield return new Command(a[..3]);
                for (var i = 3; i < a.Length; i++)
                {
                    var width = i + 1 < a.Length && a[i] is "PX" or "EX" ? 2 : 1;
                    yield return new Command([.. a[..i], .. a[(i + width)..]]);
                }

                break;
            case "EXPIRE" or "PEXPIRE" when a.Length > 3:
                yield return new Command(a[..3]);
                break;
            case "DEL" or "EXISTS" or "MGET" when a.Length > 2:
                for (var i = 1; i < a.Length; i++) yield return new Command([.. a[..i], .. a[(i + 1)..]]);
                break;
            case "MSET" when a.Length > 3:
                for (var i = 1; i < a.Length; i += 2) yield return new Command([.. a[..i], .. a[(i + 2)..]]);
                break;
        }
    }

    private async Task<(Scenario, RunResult)?> TryCandidate(Scenario candidate)
    {
        for (var attempt = 0; attempt < ShrinkAttempts; attempt++)
        {
            var result = await RunAsync(candidate);
            if (result.Failure is not null) return (Truncate(candidate, result), result);
        }

        return null;
    }

    private static Scenario Truncate(Scenario scenario, RunResult result) =>
        scenario with { Steps = scenario.Steps.Take(Math.Min(scenario.Steps.Count, result.Failure!.StepIndex + 1)).ToList() };

    private static int? EnvInt(string name) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
}
