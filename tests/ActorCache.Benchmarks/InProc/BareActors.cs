using ActorCache.Protocol;
using Akka.Actor;

namespace ActorCache.Benchmarks.InProc;

/// <summary>A request of the bare actor pair; the reply carries the same id.</summary>
public sealed record Ping(long Id);

/// <summary>The reply to <see cref="Ping"/>.</summary>
public sealed record Pong(long Id);

/// <summary>Actor B: answers every <see cref="Ping"/> with a <see cref="Pong"/> of the same id.</summary>
public sealed class Echo : UntypedActor
{
    public static Props Props() => Akka.Actor.Props.Create(() => new Echo());

    protected override void OnReceive(object message)
    {
        if (message is Ping ping) Sender.Tell(new Pong(ping.Id), Self);
        else Unhandled(message);
    }
}

/// <summary>Shared between a <see cref="Pinger"/> and the harness: the count it reads, the stop flag it sets.</summary>
public sealed class PingerControl
{
    private long _completed;
    private volatile bool _stopping;

    public long Completed => Volatile.Read(ref _completed);

    public bool Stopping => _stopping;

    public TaskCompletionSource Drained { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Stop() => _stopping = true;

    internal void Count() => Volatile.Write(ref _completed, _completed + 1);
}

/// <summary>
/// Actor A of the bare pair: keeps <c>window</c> requests in flight to the echo, correlating each reply with its
/// slot by id (no Ask, no temporary actor), and sends the next request of a slot when its reply arrives.
/// </summary>
public sealed class Pinger : UntypedActor
{
    private readonly IActorRef _echo;
    private readonly int _window;
    private readonly PingerControl _control;
    private readonly long[] _expected;
    private int _inFlight;

    public Pinger(IActorRef echo, int window, PingerControl control)
    {
        _echo = echo;
        _window = window;
        _control = control;
        _expected = new long[window];
    }

    public static Props Props(IActorRef echo, int window, PingerControl control) =>
        Akka.Actor.Props.Create(() => new Pinger(echo, window, control));

    protected override void PreStart()
    {
        for (var slot = 0; slot < _window; slot++) Send(slot, slot);
    }

    protected override void OnReceive(object message)
    {
        if (message is not Pong pong)
        {
            Unhandled(message);
            return;
        }

        var slot = (int)(pong.Id % _window);
        if (_expected[slot] != pong.Id) throw new InvalidOperationException($"reply {pong.Id} does not match slot {slot}");
        _inFlight--;
        _control.Count();
        if (_control.Stopping)
        {
            if (_inFlight == 0) _control.Drained.TrySetResult();
            return;
        }

        Send(slot, pong.Id + _window);
    }

    private void Send(int slot, long id)
    {
        _expected[slot] = id;
        _inFlight++;
        _echo.Tell(new Ping(id), Self);
    }
}

/// <summary>
/// A stand-in for a keyspace that does no work: it answers every <see cref="CacheRequest"/> with the same bulk reply.
/// Behind a real <see cref="ActorCache.Client.CacheClient"/> it measures what the client's request/reply path costs
/// by itself (ReplyPromise, task completion, async continuations), without the keyspace's command processing.
/// </summary>
public sealed class NullKeyspace : UntypedActor
{
    private readonly RedisReply _reply;
    private readonly IActorRef[] _directory;

    public NullKeyspace(byte[] value)
    {
        _reply = RedisReply.Bulk(value);
        _directory = [Self];
    }

    public static Props Props(byte[] value) => Akka.Actor.Props.Create(() => new NullKeyspace(value));

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case CacheRequest request:
                Sender.Tell(new CacheReply(request.CorrelationId, _reply), Self);
                break;
            case GetKeyspaces:
                // Also plays the node, so CacheClient.ConnectAsync sends database 0 straight here.
                Sender.Tell(new KeyspaceDirectory(_directory), Self);
                break;
            default:
                Unhandled(message);
                break;
        }
    }
}

/// <summary>
/// Like <see cref="Pinger"/>, but its requests are GETs sent straight to a keyspace actor, correlated by
/// <see cref="CacheRequest.CorrelationId"/> the way the remote client does: the keyspace's cost with an actor as
/// client, without the embedded client's task per request.
/// </summary>
public sealed class KeyspacePinger : UntypedActor
{
    private static readonly byte[] Get = "GET"u8.ToArray();
    private readonly IActorRef _keyspace;
    private readonly byte[][] _keys;
    private readonly int _window;
    private readonly PingerControl _control;
    private readonly long[] _expected;
    private int _inFlight;

    public KeyspacePinger(IActorRef keyspace, byte[][] keys, int window, PingerControl control)
    {
        _keyspace = keyspace;
        _keys = keys;
        _window = window;
        _control = control;
        _expected = new long[window];
    }

    public static Props Props(IActorRef keyspace, byte[][] keys, int window, PingerControl control) =>
        Akka.Actor.Props.Create(() => new KeyspacePinger(keyspace, keys, window, control));

    protected override void PreStart()
    {
        for (var slot = 0; slot < _window; slot++) Send(slot, slot);
    }

    protected override void OnReceive(object message)
    {
        if (message is not CacheReply reply)
        {
            Unhandled(message);
            return;
        }

        var slot = (int)(reply.CorrelationId % _window);
        if (_expected[slot] != reply.CorrelationId) throw new InvalidOperationException($"reply {reply.CorrelationId} does not match slot {slot}");
        if (reply.Reply is not BulkStringReply { Value: not null }) throw new InvalidOperationException($"GET of a preloaded key answered {reply.Reply}");
        _inFlight--;
        _control.Count();
        if (_control.Stopping)
        {
            if (_inFlight == 0) _control.Drained.TrySetResult();
            return;
        }

        Send(slot, reply.CorrelationId + _window);
    }

    private void Send(int slot, long id)
    {
        _expected[slot] = id;
        _inFlight++;
        _keyspace.Tell(new CacheRequest(id, 0, [Get, _keys[(int)(id % _keys.Length)]]), Self);
    }
}
