using System.Collections.Concurrent;
using System.IO.Pipelines;
using ActorCache.Protocol;
using ActorCache.Resp.Protocol;

namespace ActorCache.Resp;

// Writing replies in request order. Replies arrive from keyspace actors (on their threads) and from the read loop, in
// any order; Complete puts each in its place, and the run that is now in order goes to the writer. The writer is a
// thread-pool work item queued on the completing thread's own queue, so it runs right after the keyspace's current
// batch on the same thread: no wake-up of another thread per reply, and every reply of that batch goes out in one
// socket write.
internal sealed partial class RespConnection : IThreadPoolWorkItem
{
    private readonly ConcurrentQueue<(long FromSequence, int Protocol)> _protocolSwitches = new();
    private readonly Lock _order = new();
    private readonly Dictionary<long, RedisReply> _early = new();
    private readonly TaskCompletionSource _outputDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private List<(long Sequence, RedisReply Reply)> _ready = new(16);
    private List<(long Sequence, RedisReply Reply)> _writing = new(16);
    private long _nextToRelease;
    private long _written;
    private long _closeAfter = long.MaxValue;
    private bool _writerScheduled;
    private bool _outputFinished;
    private bool _outputCompleted;
    private int _writerProtocol = 2;
    private TaskCompletionSource? _readerWaiting;

    /// <summary>Commands read whose reply has not been written yet.</summary>
    private long PendingReplies => Volatile.Read(ref _nextSequence) - Volatile.Read(ref _written);

    /// <summary>The reply to the command with <paramref name="sequence"/>; called from any thread, once per command.</summary>
    public void Complete(long sequence, RedisReply reply)
    {
        lock (_order)
        {
            if (_outputFinished) return;
            if (sequence != _nextToRelease)
            {
                _early[sequence] = reply;
                return;
            }

            _ready.Add((sequence, reply));
            _nextToRelease++;
            while (_early.Remove(_nextToRelease, out var next))
            {
                _ready.Add((_nextToRelease, next));
                _nextToRelease++;
            }

            if (_writerScheduled) return;
            _writerScheduled = true;
        }

        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: true);
    }

    void IThreadPoolWorkItem.Execute() => _ = WriteReadyRepliesAsync();

    /// <summary>The connection closes once the reply to <paramref name="sequence"/> is written (QUIT, protocol error).</summary>
    private void CloseAfter(long sequence)
    {
        bool finishNow;
        lock (_order)
        {
            _closeAfter = Math.Min(_closeAfter, sequence);
            finishNow = !_writerScheduled && _written > _closeAfter;
        }

        if (finishNow) _ = EndOutputAsync(calledByWriter: false);
    }

    /// <summary>The client stopped sending: write what is owed to it, then close.</summary>
    private void CloseAfterLastReply()
    {
        if (_nextSequence == 0) _ = EndOutputAsync(calledByWriter: false);
        else CloseAfter(_nextSequence - 1);
    }

    private async Task WriteReadyRepliesAsync()
    {
        try
        {
            while (true)
            {
                lock (_order)
                {
                    if (_outputFinished) break;
                    if (_ready.Count == 0)
                    {
                        // Idle again, unless everything owed before the close is written: then this writer ends it.
                        if (_written <= _closeAfter)
                        {
                            _writerScheduled = false;
                            return;
                        }

                        break;
                    }

                    (_ready, _writing) = (_writing, _ready);
                }

                var close = false;
                foreach (var (sequence, reply) in _writing)
                {
                    while (_protocolSwitches.TryPeek(out var change) && change.FromSequence <= sequence)
                    {
                        _writerProtocol = change.Protocol;
                        _protocolSwitches.TryDequeue(out _);
                    }

                    RespReplyWriter.Write(_output, reply, _writerProtocol);
                    close |= sequence >= Volatile.Read(ref _closeAfter);
                }

                Volatile.Write(ref _written, _writing[^1].Sequence + 1);
                _writing.Clear();
                var flushing = _output.FlushAsync(_closing.Token);
                var flushed = flushing.IsCompletedSuccessfully ? flushing.Result : await flushing;
                WakeReader();
                if (close || flushed.IsCompleted) break;
            }
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // The client is gone or the connection was closed: the replies it was owed have no one to go to.
        }
        catch (Exception ex)
        {
            // A reply that cannot be written is a bug; it costs this connection, never the node or a hung client.
            _server.LogConnectionFailure(this, ex);
        }

        await EndOutputAsync(calledByWriter: true);
    }

    /// <summary>
    /// Ends the connection's output: no more replies are taken, and the socket closes. The PipeWriter is completed by
    /// whoever may touch it: the writer if one is running (closing the socket makes it stop soon), else the caller.
    /// </summary>
    private async Task EndOutputAsync(bool calledByWriter)
    {
        bool first, completeOutput;
        lock (_order)
        {
            first = !_outputFinished;
            _outputFinished = true;
            _ready.Clear();
            _early.Clear();
            completeOutput = (calledByWriter || !_writerScheduled) && !_outputCompleted;
            if (completeOutput)
            {
                _outputCompleted = true;
                _writerScheduled = true;
            }
        }

        if (first)
        {
            _closing.Cancel();
            WakeReader();
        }

        if (!completeOutput)
        {
            _socket.Dispose();
            return;
        }

        try
        {
            await _output.CompleteAsync();
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // Completing flushes what is buffered; a socket that is gone has nothing left to take it.
        }

        _socket.Dispose();
        _outputDone.TrySetResult();
    }

    private async Task WaitWhileTooManyRepliesPendingAsync()
    {
        while (PendingReplies >= _server.Settings.MaxPendingReplies)
        {
            TaskCompletionSource waiting;
            lock (_order)
            {
                if (PendingReplies < _server.Settings.MaxPendingReplies) return;
                waiting = _readerWaiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            await waiting.Task.WaitAsync(_closing.Token);
        }
    }

    private void WakeReader()
    {
        TaskCompletionSource? waiting;
        lock (_order)
        {
            if (_readerWaiting is null || (!_outputFinished && PendingReplies >= _server.Settings.MaxPendingReplies / 2 + 1)) return;
            waiting = _readerWaiting;
            _readerWaiting = null;
        }

        waiting.TrySetResult();
    }
}
