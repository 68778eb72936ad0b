using ActorCache.Protocol;
using Akka.Event;

namespace ActorCache.Keyspace;

// request-timeout: a request that has waited in its keys' queues for that long (its load never came back, or the
// requests ahead of it on the same keys are stuck behind one) is answered with an error and leaves the queues, so a
// stalled disk never leaves a client waiting for ever. Requests are checked in the order they parked.
internal sealed partial class KeyspaceActor
{
    private void Park(PendingRequest pending)
    {
        pending.ParkedAt = MonotonicNow;
        if (Timers.IsTimerActive("request-timeout")) return;
        // A quarter of the timeout between checks: a request times out at most a quarter late.
        var interval = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond * 10, _settings.RequestTimeout.Ticks / 4));
        Timers.StartPeriodicTimer("request-timeout", RequestTimeoutTick.Instance, interval);
    }

    /// <summary>
    /// Walks the requests still waiting in acceptance order (see <see cref="Track"/>), which is also the order they
    /// parked in: while an exclusive request is pending nothing after it parks, so the head is the one parked longest.
    /// </summary>
    private void HandleRequestTimeoutTick(RequestTimeoutTick tick)
    {
        var timeoutMs = (long)_settings.RequestTimeout.TotalMilliseconds;
        var oldestAllowed = MonotonicNow - timeoutMs;
        ForgetFinishedRequests();
        while (_unfinishedInOrder.TryPeek(out var oldest) && oldest.ParkedAt != 0 && oldest.ParkedAt <= oldestAllowed)
        {
            TimeOut(oldest, timeoutMs);
            ForgetFinishedRequests();
        }

        if (_waitingRequests == 0) Timers.Cancel("request-timeout");
        Pump();
    }

    private void TimeOut(PendingRequest request, long timeoutMs)
    {
        foreach (var key in request.Keys) _io[key].Waiting!.Remove(request);
        _memoryWaiters.Remove(request.Sequence);
        _waitingRequests--;
        _log.Warning("A {0} in database {1} waited {2} ms for its keys and timed out", request.Command.Name, _databaseIndex, timeoutMs);
        request.Reply(RedisReply.Error($"ERR request timed out after {timeoutMs} ms waiting for its keys to be read from disk (request-timeout)"));
        AdvanceKeys(request.Keys);
        foreach (var key in request.Keys)
        {
            if (_io.TryGetValue(key, out var state)) ForgetIfIdle(key, state);
        }
    }
}
