using Akka.Actor;

namespace ActorCache.Client;

/// <summary>
/// The sender of one embedded request, as kept by <see cref="RequestDeadlines"/>: a link in the list of requests in
/// flight (so tracking one costs no allocation and no hashing), its deadline, and how it fails when that passes.
/// </summary>
internal abstract class TimedRequest : MinimalActorRef
{
    internal TimedRequest? Previous;
    internal TimedRequest? Next;
    internal RequestDeadlines.Shard? Shard;

    /// <summary>In <see cref="Environment.TickCount64"/> milliseconds.</summary>
    internal long Deadline;

    /// <summary>Fails the request with a timeout; called at most once, and only if no reply came first.</summary>
    public abstract void TimeOut(TimeSpan timeout);
}

/// <summary>
/// The request timeout of the embedded client. Every request in flight is linked into one of many lists and unlinked
/// when its reply comes; all requests share one timeout, so each list is in deadline order and a sweep ten times per
/// timeout (between 10 ms and 500 ms apart, as the remote client's) fails requests from the front of each list until
/// it meets one still in time.
/// </summary>
/// <remarks>
/// The sweep timer reaches the registry through a weak reference: a client nobody holds leaves no timer behind. A
/// request in flight holds the registry, so it is swept (and times out) even if its client was dropped.
/// </remarks>
internal sealed class RequestDeadlines
{
    // Each thread deals its requests round the lists in turn: the caller links a request and another thread (the
    // keyspace's) unlinks it, so with few lists they would often meet on one lock. Spread over many, two threads
    // seldom want the same list at once (measured: one list per core cost about a third of in-memory GET throughput).
    [ThreadStatic]
    private static int _nextShard;

    private readonly Shard[] _shards;
    private readonly int _mask;
    private readonly TimeSpan _timeout;
    private readonly long _timeoutMs;
    // Held so that it lives as long as the registry (an unreferenced Timer is stopped by its finalizer).
    private readonly Timer _sweep;

    public RequestDeadlines(TimeSpan timeout)
    {
        _timeout = timeout;
        _timeoutMs = (long)Math.Ceiling(timeout.TotalMilliseconds);
        var count = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(8 * Environment.ProcessorCount, 16, 256));
        _shards = Enumerable.Range(0, count).Select(_ => new Shard(this)).ToArray();
        _mask = count - 1;
        var interval = TimeSpan.FromMilliseconds(Math.Clamp(timeout.TotalMilliseconds / 10, 10, 500));
        _sweep = new Timer(static state => Sweep((WeakReference<RequestDeadlines>)state!), new WeakReference<RequestDeadlines>(this), interval, interval);
    }

    /// <summary>Starts the clock of <paramref name="request"/>; call before sending it.</summary>
    public void Track(TimedRequest request)
    {
        var shard = _shards[++_nextShard & _mask];
        lock (shard.Lock)
        {
            // Read under the lock, so the deadlines in a list never go backwards.
            request.Deadline = Environment.TickCount64 + _timeoutMs;
            request.Shard = shard;
            request.Previous = shard.Tail;
            if (shard.Tail is { } tail) tail.Next = request;
            else shard.Head = request;
            shard.Tail = request;
        }
    }

    /// <summary>The reply came: stops the clock (nothing to do if the request has timed out already).</summary>
    public static void Forget(TimedRequest request)
    {
        if (request.Shard is not { } shard) return;
        lock (shard.Lock)
        {
            if (request.Shard is null) return;
            Unlink(shard, request);
        }
    }

    private static void Sweep(WeakReference<RequestDeadlines> registry)
    {
        if (!registry.TryGetTarget(out var deadlines)) return;
        var now = Environment.TickCount64;
        List<TimedRequest>? expired = null;
        foreach (var shard in deadlines._shards)
        {
            lock (shard.Lock)
            {
                while (shard.Head is { } oldest && oldest.Deadline <= now)
                {
                    Unlink(shard, oldest);
                    (expired ??= []).Add(oldest);
                }
            }
        }

        // Outside the locks: failing a task may run the caller's continuation.
        foreach (var request in expired ?? []) request.TimeOut(deadlines._timeout);
    }

    private static void Unlink(Shard shard, TimedRequest request)
    {
        if (request.Previous is { } previous) previous.Next = request.Next;
        else shard.Head = request.Next;
        if (request.Next is { } next) next.Previous = request.Previous;
        else shard.Tail = request.Previous;
        request.Previous = request.Next = null;
        request.Shard = null;
    }

    /// <summary>One list of requests in flight, oldest first.</summary>
    internal sealed class Shard(RequestDeadlines owner)
    {
        public readonly Lock Lock = new();

        // What keeps the registry, and so its sweep, alive while a request is linked here.
        public readonly RequestDeadlines Owner = owner;
        public TimedRequest? Head;
        public TimedRequest? Tail;

        // Keeps the next list's fields off this one's cache line, so threads on different lists do not slow each other.
        internal CacheLine Padding = default;
    }

    /// <summary>64 bytes of nothing.</summary>
    [System.Runtime.CompilerServices.InlineArray(8)]
    internal struct CacheLine
    {
        private long _element;
    }
}
