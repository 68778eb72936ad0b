using ActorCache.Commands;
using ActorCache.DiskIo;
using ActorCache.Node;
using ActorCache.Protocol;
using ActorCache.Settings;
using Akka.Actor;
using Akka.Event;

namespace ActorCache.Keyspace;

/// <summary>
/// Owns one database: its in-memory values, expiries, negative cache, per-key IO flags, IO queue and parked
/// requests (DESIGN.md section 2). It never blocks: disk work goes to the DiskIoActor as jobs and comes back as
/// completions. The partial files hold one concern each: requests, whole-database commands, scheduling, completions,
/// expiry, the flush barrier with FLUSHDB, the snapshot hold, transactions with WATCH, request timeouts, memory (the limit, eviction, writes waiting for room), maintenance
/// (run-time settings, dropping clean keys) and metrics (counters of the ActorCache meter, figures for its gauges).
/// </summary>
internal sealed partial class KeyspaceActor : ReceiveActor, IWithTimers, IKeyspaceOperations
{
    private readonly int _databaseIndex;
    private CacheSettings _settings;
    private readonly CommandTable _commands;
    private readonly IActorRef _diskIo;
    private readonly Database _db;
    private readonly CommandContext _context;
    private readonly Dictionary<CacheKey, KeyIoState> _io = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly long? _maxRemotePayload = RemoteFrameLimit.MaxPayloadBytes(Context.System.Settings.Config);

    public KeyspaceActor(int databaseIndex, CacheSettings settings, CommandTable commands, IActorRef diskIo, TimeProvider clock, MemoryBudget budget, MetricsBoard board)
    {
        _budget = budget;
        _board = board;
        _dbTag = CacheMetrics.DatabaseTagOf(databaseIndex);
        _databaseIndex = databaseIndex;
        _settings = settings;
        _commands = commands;
        _diskIo = diskIo;
        _db = new Database(new NegativeCache(settings.NegativeCacheMaxEntries), clock, MarkDirty);
        _context = new CommandContext(_db, settings, this);

        Receive<CacheRequest>(HandleRequest);
        Receive<CacheRequestBatch>(HandleRequestBatch);
        Receive<LoadJobDone>(HandleLoadDone);
        Receive<SaveJobDone>(HandleSaveDone);
        Receive<ScanJobDone>(HandleScanDone);
        Receive<DeleteDatabaseDone>(HandleDeleteDatabaseDone);
        Receive<SaveTick>(HandleSaveTick);
        Receive<RetryDeleteDatabase>(HandleRetryDeleteDatabase);
        Receive<ActiveExpireTick>(HandleActiveExpireTick);
        Receive<FlushToDisk>(HandleFlushToDisk);
        Receive<PrepareToStop>(HandlePrepareToStop);
        Receive<AllDatabasesFlushed>(HandleAllDatabasesFlushed);
        Receive<FlushDatabaseNow>(HandleFlushDatabaseNow);
        Receive<GetKeyspaceStats>(HandleGetStats);
        Receive<EvictCleanKeys>(HandleEvictCleanKeys);
        Receive<ChangeSettings>(HandleChangeSettings);
        Receive<ContinueMemoryWork>(HandleContinueMemoryWork);
        Receive<EvictForMemory>(HandleEvictForMemory);
        Receive<MemoryWaitTick>(HandleMemoryWaitTick);
        Receive<MetricsTick>(HandleMetricsTick);
        Receive<CacheTransaction>(HandleTransaction);
        Receive<ExecTransaction>(HandleExecTransaction);
        Receive<WatchKeys>(HandleWatchKeys);
        Receive<UnwatchKeys>(HandleUnwatchKeys);
        Receive<HoldSavesForSnapshot>(HandleHoldSaves);
        Receive<ReleaseSnapshotHold>(HandleReleaseSnapshotHold);
        Receive<Terminated>(HandleTerminated);
        Receive<RequestTimeoutTick>(HandleRequestTimeoutTick);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(int databaseIndex, CacheSettings settings, CommandTable commands, IActorRef diskIo, TimeProvider clock, MemoryBudget budget, MetricsBoard board) =>
        Akka.Actor.Props.Create(() => new KeyspaceActor(databaseIndex, settings, commands, diskIo, clock, budget, board));

    protected override void PreStart()
    {
        StartActiveExpiry();
        StartMetrics();
    }

    protected override void PostStop() => ReturnMemory();

    private void StartActiveExpiry() => Timers.StartPeriodicTimer("active-expire", ActiveExpireTick.Instance, _settings.ActiveExpireInterval);

    private KeyIoState IoState(CacheKey key)
    {
        if (!_io.TryGetValue(key, out var state))
        {
            state = new KeyIoState();
            _io[key] = state;
            _db.SetEvictable(key, false);
        }

        return state;
    }

    private void ForgetIfIdle(CacheKey key, KeyIoState state)
    {
        if (!state.IsIdle) return;
        _io.Remove(key);
        // A key without IO state that is in memory is clean and wanted by no one: it may leave memory (the Memory part).
        _db.SetEvictable(key, true);
    }

    private void HandleGetStats(GetKeyspaceStats request) => Sender.Tell(Stats());

    private KeyspaceStats Stats() => new(
        KeysInMemory: _db.Count,
        DirtyKeys: _queuedSaves + _savesInFlight,
        JobsInFlight: _jobsInFlight,
        QueuedLoads: _loadQueue.Count,
        ParkedRequests: _waitingRequests,
        NegativeCacheEntries: _db.NegativeCache.Count,
        DiskLoads: _diskLoads,
        SavesCompleted: _savesCompleted,
        SaveFailures: _saveFailures,
        TrackedKeys: _io.Count,
        QueuedSaves: _queuedSaves,
        SavesInFlight: _savesInFlight,
        KeysWithExpiry: _db.VolatileCount,
        UsedMemory: _db.UsedBytes,
        EvictedKeys: _evictedKeys,
        WritesWaiting: _memoryWaiters.Count,
        Hits: _hits,
        Misses: _misses,
        NegativeCacheHits: _negativeCacheHits,
        LongestEvictionSliceMicros: _longestEvictionSliceMicros,
        LongestEvictionSliceWithoutGcMicros: _longestEvictionSliceWithoutGcMicros);
}
