using ActorCache.Commands;
using ActorCache.DiskIo;
using ActorCache.Keyspace;
using ActorCache.Protocol;
using ActorCache.Settings;
using ActorCache.Storage;
using Akka.Actor;
using Akka.Event;

namespace ActorCache.Node;

/// <summary>
/// The node's entry actor (at <c>/user/actor-cache</c> by default): parent of the DiskIoActor and of one
/// KeyspaceActor per database. It routes <see cref="CacheRequest"/>s by database, runs node-wide commands and the
/// flush barrier, gathers the databases' figures (<see cref="GetStats"/>), and tells clients where the keyspaces are
/// so they can skip this hop.
/// </summary>
internal sealed class CacheNodeActor : ReceiveActor
{
    private readonly CacheSettings _settings;
    private readonly IDiskStore _store;
    private readonly IActorRef[] _keyspaces;
    private readonly MemoryBudget _memory;
    // Where this node's keyspaces publish their figures for the gauges of the ActorCache meter (see CacheMetrics).
    private readonly MetricsBoard _board;
    private readonly IActorRef _diskIo;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly List<IActorRef> _snapshotRequesters = [];
    private SnapshotStatus _snapshot = new(DateTimeOffset.UtcNow, InProgress: false, LastError: null, LastDirectory: null);

    public CacheNodeActor(CacheSettings settings, IDiskStore store, TimeProvider clock, MemoryBudget memory)
    {
        _settings = settings;
        _store = store;
        _memory = memory;
        _board = new MetricsBoard(settings.Databases);
        var diskIo = _diskIo = Context.ActorOf(DiskIoActor.Props(store), "disk-io");
        _keyspaces = new IActorRef[settings.Databases];
        for (var i = 0; i < settings.Databases; i++)
        {
            _keyspaces[i] = Context.ActorOf(KeyspaceActor.Props(i, settings, CommandTable.Default, diskIo, clock, memory, _board), $"keyspace-{i}");
        }

        memory.Register(_keyspaces);

        Receive<CacheRequest>(HandleRequest);
        Receive<GetKeyspaces>(HandleGetKeyspaces);
        Receive<FlushToDisk>(HandleFlushToDisk);
        Receive<PrepareToStop>(HandlePrepareToStop);
        Receive<FlushAllDatabases>(HandleFlushAllDatabases);
        Receive<GetStats>(HandleGetStats);
        Receive<CacheTransaction>(HandleTransaction);
        Receive<TakeSnapshot>(HandleTakeSnapshot);
        Receive<SnapshotCompleted>(HandleSnapshotCompleted);
        Receive<GetSnapshotStatus>(_ => Sender.Tell(_snapshot));
    }

    /// <summary>The node takes ownership of <paramref name="store"/> and closes it when it stops.</summary>
    public static Props Props(CacheSettings settings, IDiskStore store, TimeProvider clock, MemoryBudget memory) =>
        Akka.Actor.Props.Create(() => new CacheNodeActor(settings, store, clock, memory));

    protected override void PreStart() => CacheMetrics.Register(_board);

    /// <summary>Children have stopped by now, so no job can be using the store.</summary>
    protected override void PostStop()
    {
        CacheMetrics.Unregister(_board);
        _store.Dispose();
    }

    /// <summary>
    /// A keyspace holds the only copy of dirty keys, so an unexpected exception resumes it with its state rather than
    /// restarting it empty. The DiskIoActor holds no state: it is restarted, and runs the job it threw on once more.
    /// </summary>
    protected override SupervisorStrategy SupervisorStrategy() => new ChildStrategy(_diskIo);

    /// <summary>Decides by child: the one-for-one decider alone cannot tell the DiskIoActor from a keyspace.</summary>
    private sealed class ChildStrategy(IActorRef diskIo)
        : OneForOneStrategy(ex => ex is ActorInitializationException ? Directive.Stop : Directive.Resume)
    {
        protected override Directive Handle(IActorRef child, Exception exception) =>
            child.Equals(diskIo) && exception is not ActorInitializationException ? Directive.Restart : base.Handle(child, exception);
    }

    private void HandleRequest(CacheRequest request)
    {
        if (request.Database < 0 || request.Database >= _settings.Databases)
        {
            Sender.Tell(new CacheReply(request.CorrelationId, Errors.DatabaseOutOfRange));
            return;
        }

        _keyspaces[request.Database].Forward(request);
    }

    private void HandleTransaction(CacheTransaction transaction)
    {
        if (transaction.Database < 0 || transaction.Database >= _settings.Databases)
        {
            Sender.Tell(new CacheReply(transaction.CorrelationId, Errors.DatabaseOutOfRange));
            return;
        }

        _keyspaces[transaction.Database].Forward(transaction);
    }

    /// <summary>
    /// One snapshot at a time, under <c>&lt;data-dir&gt;/snapshots/</c> named by its UTC time; a request while one runs
    /// waits for it and gets its outcome (it is as recent as the request).
    /// </summary>
    private void HandleTakeSnapshot(TakeSnapshot request)
    {
        _snapshotRequesters.Add(Sender);
        if (_snapshot.InProgress) return;
        _snapshot = _snapshot with { InProgress = true };
        var name = DateTimeOffset.UtcNow.ToString("yyyyMMdd'T'HHmmss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var directory = Path.GetFullPath(Path.Combine(_settings.DataDirectory, "snapshots", name));
        Context.ActorOf(SnapshotActor.Props(_keyspaces, _diskIo, directory, _settings.ShutdownFlushTimeout));
    }

    private void HandleSnapshotCompleted(SnapshotCompleted completed)
    {
        if (completed.Succeeded) _log.Info("Snapshot written to {0}", completed.Directory);
        else _log.Error("Snapshot to {0} failed: {1}", completed.Directory, completed.Error);
        _snapshot = completed.Succeeded
            ? new SnapshotStatus(completed.At, InProgress: false, LastError: null, LastDirectory: completed.Directory)
            : _snapshot with { InProgress = false, LastError = completed.Error };
        foreach (var requester in _snapshotRequesters) requester.Tell(completed);
        _snapshotRequesters.Clear();
    }

    private void HandleGetKeyspaces(GetKeyspaces request) => Sender.Tell(new KeyspaceDirectory(_keyspaces));

    private void HandleFlushToDisk(FlushToDisk request) => ScatterGather(FlushToDisk.Instance, FlushedToDisk.Instance);

    private void HandlePrepareToStop(PrepareToStop request) => ScatterGather(PrepareToStop.Instance, FlushedToDisk.Instance);

    private void HandleFlushAllDatabases(FlushAllDatabases request) =>
        ScatterGather(FlushDatabaseNow.Instance, new AllDatabasesFlushed(request.Token));

    /// <summary>A child gathers every keyspace's figures and answers, so the node actor never waits.</summary>
    private void HandleGetStats(GetStats request) =>
        Context.ActorOf(StatsGatherActor.Props(_keyspaces, Sender, _memory.Limit));

    private void ScatterGather(object message, object finalReply) =>
        Context.ActorOf(ScatterGatherActor.Props(_keyspaces, message, Sender, finalReply));
}
