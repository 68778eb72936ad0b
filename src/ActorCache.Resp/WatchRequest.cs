using ActorCache.Keyspace;
using ActorCache.Protocol;
using Akka.Actor;

namespace ActorCache.Resp;

/// <summary>
/// One WATCH of a connection, from the moment it is sent to its keyspace until its watches are released. It is the
/// sender of the <see cref="WatchKeys"/> message: the keyspace answers it (on the keyspace's thread) with each key's
/// version once the keys are loaded, and it then answers the client +OK in the connection's reply order.
/// </summary>
/// <remarks>
/// Every watch count the keyspace took must be released exactly once: either listed in EXEC's
/// <see cref="ExecTransaction"/> (the keyspace releases it) or by <see cref="Release"/>. A release asked for before
/// the keyspace has answered waits for the answer, because a WATCH that failed (a disk error loading a key) took
/// nothing, and releasing it anyway would take a count another connection holds.
/// </remarks>
internal sealed class WatchRequest : MinimalActorRef
{
    private static readonly ActorPath SharedPath = new RootActorPath(Address.AllSystems) / "temp" / "actor-cache-resp-watch";
    private static readonly byte[] UnwatchName = "UNWATCH"u8.ToArray();
    private readonly RespConnection _connection;
    private readonly long _sequence;
    private readonly IActorRef _keyspace;
    private readonly TaskCompletionSource _answered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _state = new();
    private KeyVersion[]? _versions;
    private bool _releaseWhenAnswered;

    public WatchRequest(RespConnection connection, long sequence, int database, byte[][] keys, IActorRef keyspace)
    {
        _connection = connection;
        _sequence = sequence;
        Database = database;
        Keys = keys;
        _keyspace = keyspace;
        Provider = ((ExtendedActorSystem)connection.Server.System).Provider;
    }

    public override ActorPath Path => SharedPath;

    public override IActorRefProvider Provider { get; }

    public int Database { get; }

    /// <summary>The keys watched, in order, duplicates included (each holds its own count).</summary>
    public byte[][] Keys { get; }

    /// <summary>Completes once the keyspace has answered.</summary>
    public Task Answered => _answered.Task;

    /// <summary>Each key with the version WATCH saw; null if the WATCH failed (it holds nothing) or is unanswered.</summary>
    public KeyVersion[]? Versions
    {
        get
        {
            lock (_state) return _versions;
        }
    }

    /// <summary>Sends the WATCH to its keyspace.</summary>
    public void Send(byte[][] arguments) => _keyspace.Tell(new WatchKeys(new CacheRequest(_sequence, Database, arguments)), this);

    /// <summary>Releases the watches now, or once the keyspace answers if it has not yet (UNWATCH, DISCARD, close).</summary>
    public void Release()
    {
        bool answered;
        lock (_state)
        {
            answered = _answered.Task.IsCompleted;
            if (!answered) _releaseWhenAnswered = true;
        }

        if (answered && Versions is not null) SendUnwatch();
    }

    protected override void TellInternal(object message, IActorRef sender)
    {
        if (message is not CacheReply reply) return;
        var versions = ReadVersions(reply.Reply);
        bool release;
        lock (_state)
        {
            _versions = versions;
            release = _releaseWhenAnswered;
            _answered.TrySetResult();
        }

        if (release && versions is not null) SendUnwatch();
        _connection.Complete(_sequence, versions is not null ? RedisReply.Ok : reply.Reply as ErrorReply ?? RedisReply.Error($"ERR WATCH failed: {reply.Reply}"));
    }

    private KeyVersion[]? ReadVersions(RedisReply reply)
    {
        if (reply is not ArrayReply { Items: { } items } || items.Count != Keys.Length) return null;
        var versions = new KeyVersion[Keys.Length];
        for (var i = 0; i < versions.Length; i++)
        {
            if (items[i] is not IntegerReply version) return null;
            versions[i] = new KeyVersion(Keys[i], version.Value);
        }

        return versions;
    }

    // Nobody as the sender: the keyspace's OK has no one to go to, and no dead letter is logged for it.
    private void SendUnwatch() => _keyspace.Tell(new UnwatchKeys(new CacheRequest(0, Database, [UnwatchName, .. Keys])), ActorRefs.Nobody);
}
