using ActorCache.Commands;
using ActorCache.DiskIo;
using ActorCache.Keyspace;
using ActorCache.Protocol;
using ActorCache.Settings;
using ActorCache.Storage;
using Akka.Actor;

namespace ActorCache.Node;

/// <summary>
/// The node's entry actor (at <c>/user/actor-cache</c> by default): parent of the DiskIoActor and of one
/// KeyspaceActor per database. It routes <see cref="CacheRequest"/>s by database, runs node-wide commands and the
/// flush barrier, and tells clients where the keyspaces are so they can skip this hop.
/// </summary>
internal sealed class CacheNodeActor : ReceiveActor
{
    private readonly CacheSettings _settings;
    private readonly IActorRef[] _keyspaces;

    public CacheNodeActor(CacheSettings settings, Func<IDiskStore> openStore, TimeProvider clock)
    {
        _settings = settings;
        var diskIo = Context.ActorOf(DiskIoActor.Props(openStore), "disk-io");
        _keyspaces = new IActorRef[settings.Databases];
        for (var i = 0; i < settings.Databases; i++)
        {
            _keyspaces[i] = Context.ActorOf(KeyspaceActor.Props(i, settings, CommandTable.Default, diskIo, clock), $"keyspace-{i}");
        }

        Receive<CacheRequest>(HandleRequest);
        Receive<GetKeyspaces>(_ => Sender.Tell(new KeyspaceDirectory(_keyspaces)));
        Receive<FlushToDisk>(_ => ScatterGather(_ => FlushToDisk.Instance, FlushedToDisk.Instance));
    }

    public static Props Props(CacheSettings settings, Func<IDiskStore> openStore, TimeProvider clock) =>
        Akka.Actor.Props.Create(() => new CacheNodeActor(settings, openStore, clock));

    /// <summary>
    /// A keyspace holds the only copy of dirty keys, so an unexpected exception resumes it with its state rather than
    /// restarting it empty; the DiskIoActor holds no state and is restarted, which reopens the store.
    /// </summary>
    protected override SupervisorStrategy SupervisorStrategy() =>
        new OneForOneStrategy(ex => ex is ActorInitializationException ? Directive.Stop : Directive.Resume);

    private void HandleRequest(CacheRequest request)
    {
        if (request.Database < 0 || request.Database >= _settings.Databases)
        {
            Sender.Tell(new CacheReply(request.CorrelationId, Errors.DatabaseOutOfRange));
            return;
        }

        var arguments = request.Arguments;
        if (arguments is { Length: > 0 } && arguments[0] is not null && CommandTable.Default.TryGet(arguments[0], out var command)
            && command.Flags.HasFlag(CommandFlags.Node) && command.AcceptsArgumentCount(arguments.Length) && arguments.Length <= 2)
        {
            if (arguments.Length == 2 && !Arguments.EqualsIgnoreCase(arguments[1], "ASYNC") && !Arguments.EqualsIgnoreCase(arguments[1], "SYNC"))
            {
                Sender.Tell(new CacheReply(request.CorrelationId, Errors.Syntax));
                return;
            }

            // FLUSHALL is FLUSHDB in every keyspace.
            var flushDb = arguments.ToArray();
            flushDb[0] = "FLUSHDB"u8.ToArray();
            ScatterGather(i => new CacheRequest(0, i, flushDb), new CacheReply(request.CorrelationId, RedisReply.Ok));
            return;
        }

        _keyspaces[request.Database].Forward(request);
    }

    private void ScatterGather(Func<int, object> messageFor, object finalReply) =>
        Context.ActorOf(ScatterGatherActor.Props(_keyspaces, messageFor, Sender, finalReply));
}
