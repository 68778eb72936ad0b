using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Threading.Channels;
using ActorCache.Protocol;
using ActorCache.Resp.Protocol;

namespace ActorCache.Resp;

// Writing replies in request order. Replies arrive from keyspace actors (on their threads) and from the read loop, in
// any order; Complete puts each in its place and releases the run that is now in order to the write loop, which
// writes all it has and flushes once, so a pipeline of N commands costs one socket write, not N.
internal sealed partial class RespConnection
{
    private readonly PipeWriter _output;
    private readonly Channel<(long Sequence, RedisReply Reply)> _replies =
        Channel.CreateUnbounded<(long, RedisReply)>(new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });
    private readonly ConcurrentQueue<(long FromSequence, int Protocol)> _protocolSwitches = new();
    private readonly Lock _order = new();
    private readonly Dictionary<long, RedisReply> _early = new();
    private long _nextToRelease;
    private long _written;
    private long _closeAfter = long.MaxValue;
    private TaskCompletionSource? _readerWaiting;

    /// <summary>Commands read whose reply has not been written yet.</summary>
    private long PendingReplies => Volatile.Read(ref _nextSequence) - Volatile.Read(ref _written);

    /// <summary>The reply to the command with <paramref name="sequence"/>; called from any thread, once per command.</summary>
    public void Complete(long sequence, RedisReply reply)
    {
        lock (_order)
        {
            if (sequence != _nextToRelease)
            {
                _early[sequence] = reply;
                return;
            }

            _replies.Writer.TryWrite((sequence, reply));
            _nextToRelease++;
            while (_early.Remove(_nextToRelease, out var next))
            {
                _replies.Writer.TryWrite((_nextToRelease, next));
                _nextToRelease++;
            }
        }
    }

    /// <summary>The connection closes once the reply to <paramref name="sequence"/> is written (QUIT, protocol error).</summary>
    private void CloseAfter(long sequence)
    {
        lock (_order)
        {
            _closeAfter = Math.Min(_closeAfter, sequence);
            if (Volatile.Read(ref _written) > _closeAfter) _replies.Writer.TryComplete();
        }
    }

    /// <summary>The client stopped sending: write what is owed to it, then close.</summary>
    private void CloseAfterLastReply()
    {
        if (_nextSequence == 0) _replies.Writer.TryComplete();
        else CloseAfter(_nextSequence - 1);
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

    private async Task WriteLoopAsync()
    {
        var protocol = 2;
        var replies = _replies.Reader;
        try
        {
            while (await replies.WaitToReadAsync(_closing.Token))
            {
                var close = false;
                while (!close && replies.TryRead(out var item))
                {
                    while (_protocolSwitches.TryPeek(out var change) && change.FromSequence <= item.Sequence)
                    {
                        protocol = change.Protocol;
                        _protocolSwitches.TryDequeue(out _);
                    }

                    RespReplyWriter.Write(_output, item.Reply, protocol);
                    Volatile.Write(ref _written, item.Sequence + 1);
                    close = item.Sequence >= Volatile.Read(ref _closeAfter);
                }

                var flushed = await _output.FlushAsync(_closing.Token);
                WakeReader();
                if (close || flushed.IsCompleted) break;
            }
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client is gone: the replies it was owed have no one to go to.
        }
        finally
        {
            _closing.Cancel();
            WakeReader();
            await _output.CompleteAsync();
            _socket.Dispose();
        }
    }

    private void WakeReader()
    {
        TaskCompletionSource? waiting;
        lock (_order)
        {
            if (_readerWaiting is null || PendingReplies >= _server.Settings.MaxPendingReplies / 2 + 1) return;
            waiting = _readerWaiting;
            _readerWaiting = null;
        }

        waiting.TrySetResult();
    }
}
