using ActorCache.Protocol;
using Akka.Actor;
using Akka.Event;

namespace ActorCache.Client;

/// <summary>
/// The one actor of a remote connection. It finds the node's entry actor (Identify through an ActorSelection of the
/// stable path), learns the keyspaces (<see cref="GetKeyspaces"/>), watches the entry actor, and sends every
/// <see cref="RemoteCall"/> as a <see cref="CacheRequest"/> with its own correlation id and itself as sender, so replies
/// of any number of requests in flight are matched in one dictionary.
/// <para>
/// Failure handling: one periodic sweep fails requests past their deadline with <see cref="CacheUnavailableException"/>
/// (calls share one timeout, so deadlines arrive in order and the sweep only looks at the front of a queue). When the
/// entry actor terminates (node stopped, or quarantined by Akka.Remote's failure detector) or a request times out, the
/// actor identifies the entry actor again: a restarted node is a new incarnation with new actor refs, and Akka.Remote
/// quarantines by incarnation (UID), so re-resolving the path is what reaches it. While disconnected, requests wait
/// (up to their deadline) and are sent as soon as the node is found again.
/// </para>
/// <para>
/// When the actor stops, whether its owner stopped it (<see cref="Stop"/>) or its ActorSystem was shut down (e.g. by
/// Akka.Remote after a failed TLS handshake), every call it holds or still has in its mailbox fails with
/// <see cref="CacheUnavailableException"/>, and so does a connect in progress; later calls fail at once
/// (<see cref="ConnectionLifetime"/>).
/// </para>
/// </summary>
internal sealed class RemoteClientActor : ReceiveActor, IWithTimers
{
    private readonly string _nodeAddress;
    private readonly ActorSelection _entrySelection;
    private readonly TimeSpan _timeout;
    private readonly TaskCompletionSource _connected;
    private readonly ConnectionLifetime _lifetime;
    private readonly Dictionary<long, RemoteCall> _pending = new();
    private readonly Queue<(long Id, long Deadline)> _byDeadline = new();
    private readonly Queue<RemoteCall> _waiting = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private IActorRef? _entry;
    private IActorRef? _candidate;
    private IActorRef[] _keyspaces = [];
    private long _nextId;
    private long _identifyId;
    private long _lastResolve = long.MinValue;
    private bool _stoppedByOwner;

    public RemoteClientActor(string nodeAddress, string entryPath, TimeSpan timeout, TaskCompletionSource connected, ConnectionLifetime lifetime)
    {
        _nodeAddress = nodeAddress;
        _entrySelection = Context.ActorSelection(nodeAddress + entryPath);
        _timeout = timeout;
        _connected = connected;
        _lifetime = lifetime;
        Receive<RemoteCall>(HandleCall);
        Receive<CacheReply>(HandleReply);
        Receive<ActorIdentity>(HandleIdentity);
        Receive<KeyspaceDirectory>(HandleDirectory);
        Receive<Terminated>(HandleTerminated);
        Receive<Sweep>(HandleSweep);
        Receive<Stop>(HandleStop);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private bool IsConnected => _entry is not null;

    public static Props Props(string nodeAddress, string entryPath, TimeSpan timeout, TaskCompletionSource connected, ConnectionLifetime lifetime) =>
        Akka.Actor.Props.Create(() => new RemoteClientActor(nodeAddress, entryPath, timeout, connected, lifetime));

    /// <summary>The sweep runs ten times per timeout (between 10 ms and 500 ms apart).</summary>
    internal static TimeSpan SweepInterval(TimeSpan timeout) =>
        TimeSpan.FromMilliseconds(Math.Clamp(timeout.TotalMilliseconds / 10, 10, 500));

    protected override void PreStart()
    {
        Timers.StartPeriodicTimer(Sweep.Instance, Sweep.Instance, SweepInterval(_timeout));
        Resolve();
    }

    protected override void PostStop()
    {
        var reason = _stoppedByOwner ? "the client was stopped" : ShutDownReason(Context.System, whileConnecting: false);
        var stopped = new CacheUnavailableException(_nodeAddress, reason);
        // From here on the transport fails new calls itself (Closed is set before the mailbox is emptied below).
        _lifetime.Close(stopped);
        foreach (var call in _pending.Values) call.Fail(stopped);
        _pending.Clear();
        // Calls still in the mailbox would otherwise go to dead letters with their callers waiting forever.
        if (Context is ActorCell { Mailbox: { } mailbox })
        {
            while (mailbox.MessageQueue.TryDequeue(out var envelope))
            {
                if (envelope.Message is RemoteCall call) call.Fail(stopped);
            }
        }

        // The owner stops a connecting actor only after ConnectAsync has given up: nobody waits for that task.
        if (_stoppedByOwner) _connected.TrySetCanceled();
        else _connected.TrySetException(new CacheUnavailableException(_nodeAddress, ShutDownReason(Context.System, whileConnecting: true)));
    }

    private void HandleStop(Stop stop)
    {
        _stoppedByOwner = true;
        Context.Stop(Self);
    }

    /// <summary>Why calls fail once the client's ActorSystem stops its actors, with CoordinatedShutdown's reason if it ran.</summary>
    internal static string ShutDownReason(ActorSystem system, bool whileConnecting)
    {
        var text = whileConnecting ? "the client's ActorSystem was shut down while connecting" : "the client's ActorSystem was shut down";
        return CoordinatedShutdown.Get(system).ShutdownReason is { } reason ? $"{text} (CoordinatedShutdown: {reason.GetType().Name})" : text;
    }

    private void HandleCall(RemoteCall call)
    {
        call.CorrelationId = ++_nextId;
        _pending.Add(call.CorrelationId, call);
        _byDeadline.Enqueue((call.CorrelationId, call.Deadline));
        if (IsConnected) Dispatch(call);
        else _waiting.Enqueue(call);
    }

    private void Dispatch(RemoteCall call)
    {
        var inRange = (uint)call.Database < (uint)_keyspaces.Length;
        if (call.Transaction is { } transaction)
        {
            // The node routes single requests only: a transaction goes to its keyspace, so a bad database is answered here.
            if (!inRange && _pending.Remove(call.CorrelationId)) call.Complete(TransactionReplies.DatabaseOutOfRange);
            else if (inRange) _keyspaces[call.Database].Tell(transaction with { CorrelationId = call.CorrelationId }, Self);
            return;
        }

        var target = inRange ? _keyspaces[call.Database] : _entry!;
        target.Tell(new CacheRequest(call.CorrelationId, call.Database, call.Arguments), Self);
    }

    private void HandleReply(CacheReply reply)
    {
        // A reply after its call timed out finds nothing: the caller has had its exception.
        if (_pending.Remove(reply.CorrelationId, out var call)) call.Complete(reply.Reply);
    }

    /// <summary>Identify messages go out at most this often while the node is missing (they are dropped while Akka gates the address).</summary>
    private const long MinResolveIntervalMs = 100;

    private void Resolve()
    {
        _lastResolve = Environment.TickCount64;
        _entrySelection.Tell(new Identify(++_identifyId), Self);
    }

    private void HandleIdentity(ActorIdentity identity)
    {
        // Any answer to any of our Identify messages names a live entry actor.
        if (identity.MessageId is not long) return;
        if (identity.Subject is not { } entry || entry.Equals(_entry)) return;
        // A new incarnation of the node (or the first one): learn its keyspaces before sending to it.
        _candidate = entry;
        entry.Tell(GetKeyspaces.Instance, Self);
    }

    private void HandleDirectory(KeyspaceDirectory directory)
    {
        if (_candidate is null || !Sender.Equals(_candidate)) return;
        if (_entry is not null) Context.Unwatch(_entry);
        _entry = _candidate;
        _candidate = null;
        _keyspaces = [.. directory.Keyspaces];
        Context.Watch(_entry);
        _log.Info("Connected to ActorCache node {0} ({1} databases)", _entry.Path, _keyspaces.Length);
        _connected.TrySetResult();
        while (_waiting.TryDequeue(out var call))
        {
            if (_pending.ContainsKey(call.CorrelationId)) Dispatch(call);
        }
    }

    private void HandleTerminated(Terminated terminated)
    {
        if (!terminated.ActorRef.Equals(_entry)) return;
        _log.Warning("ActorCache node {0} is gone; looking for it again", _nodeAddress);
        _entry = null;
        _keyspaces = [];
        Resolve();
    }

    private void HandleSweep(Sweep sweep)
    {
        var now = Environment.TickCount64;
        var timedOut = false;
        while (_byDeadline.TryPeek(out var entry) && entry.Deadline <= now)
        {
            _byDeadline.Dequeue();
            if (!_pending.Remove(entry.Id, out var call)) continue;
            timedOut = true;
            call.Fail(new CacheUnavailableException(_nodeAddress, IsConnected
                ? $"no reply within {_timeout}"
                : $"not reachable within {_timeout}"));
        }

        while (_waiting.TryPeek(out var waiting) && !_pending.ContainsKey(waiting.CorrelationId)) _waiting.Dequeue();

        // Disconnected: keep looking for the node. A timeout while connected may be a node that died without a word
        // (Akka's failure detector takes longer than a request may wait), so look again: a restarted node answers.
        if ((!IsConnected || timedOut) && now - _lastResolve >= MinResolveIntervalMs) Resolve();
    }

    /// <summary>Stops the client actor for its owner (<see cref="CacheClient.Dispose"/>, or a connect that gave up).</summary>
    internal sealed class Stop : INoSerializationVerificationNeeded
    {
        public static readonly Stop Instance = new();

        private Stop()
        {
        }
    }

    /// <summary>The sweep timer's tick.</summary>
    private sealed class Sweep : IDeadLetterSuppression, INoSerializationVerificationNeeded
    {
        public static readonly Sweep Instance = new();
    }
}
