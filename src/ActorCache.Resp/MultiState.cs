using ActorCache.Protocol;

namespace ActorCache.Resp;

/// <summary>
/// A connection's MULTI: whether one is open, the data commands queued since, the replies of the front-end commands
/// queued among them (PING, ECHO, UNWATCH), and whether an error while queueing dooms EXEC (Redis's DIRTY_EXEC).
/// Used by the connection's read loop only; <see cref="QueuedCount"/> may be read from elsewhere (CLIENT LIST).
/// </summary>
internal sealed class MultiState
{
    private readonly List<byte[][]> _commands = [];
    private readonly List<(int Position, RedisReply Reply)> _frontEndReplies = [];
    private volatile int _queuedCount = -1;

    /// <summary>Between MULTI and EXEC / DISCARD / RESET.</summary>
    public bool IsOpen => _queuedCount >= 0;

    /// <summary>A command was refused while queueing: EXEC will answer EXECABORT and run nothing.</summary>
    public bool HasErrors { get; private set; }

    /// <summary>Commands queued so far, -1 outside MULTI (CLIENT LIST's <c>multi=</c> field).</summary>
    public int QueuedCount => _queuedCount;

    public void Begin()
    {
        Clear();
        _queuedCount = 0;
    }

    /// <summary>Queues a data command, which runs in the keyspace at EXEC.</summary>
    public void Queue(byte[][] command)
    {
        _commands.Add(command);
        _queuedCount++;
    }

    /// <summary>Queues a front-end command whose reply is known now; it takes its place in EXEC's array.</summary>
    public void QueueAnswered(RedisReply reply)
    {
        _frontEndReplies.Add((_queuedCount, reply));
        _queuedCount++;
    }

    /// <summary>An error while queueing: the transaction will be discarded at EXEC (only while MULTI is open).</summary>
    public void Flag()
    {
        if (IsOpen) HasErrors = true;
    }

    /// <summary>Ends the MULTI (EXEC) and hands over what was queued.</summary>
    public QueuedTransaction End()
    {
        var queued = new QueuedTransaction(_commands.ToArray(), _frontEndReplies.ToArray());
        Clear();
        return queued;
    }

    /// <summary>Ends the MULTI and forgets what was queued (DISCARD, RESET, an aborted EXEC).</summary>
    public void Clear()
    {
        _commands.Clear();
        _frontEndReplies.Clear();
        HasErrors = false;
        _queuedCount = -1;
    }
}

/// <summary>What a MULTI queued: the data commands for the keyspace and the front-end replies to put among theirs.</summary>
internal sealed record QueuedTransaction(byte[][][] Commands, (int Position, RedisReply Reply)[] FrontEndReplies)
{
    /// <summary>
    /// EXEC's reply in queue order: the keyspace's array (one reply per data command) with the front-end replies put
    /// back in their places. A nil array (a watched key changed) or an error stays as it is.
    /// </summary>
    public RedisReply Merge(RedisReply keyspaceReply)
    {
        if (FrontEndReplies.Length == 0 || keyspaceReply is not ArrayReply { Items: { } dataReplies } || dataReplies.Count != Commands.Length)
        {
            return keyspaceReply;
        }

        var merged = new RedisReply[dataReplies.Count + FrontEndReplies.Length];
        var data = 0;
        var frontEnd = 0;
        for (var i = 0; i < merged.Length; i++)
        {
            merged[i] = frontEnd < FrontEndReplies.Length && FrontEndReplies[frontEnd].Position == i
                ? FrontEndReplies[frontEnd++].Reply
                : dataReplies[data++];
        }

        return new ArrayReply(merged);
    }
}
