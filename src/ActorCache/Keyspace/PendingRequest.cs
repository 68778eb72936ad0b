using ActorCache.Commands;
using ActorCache.Protocol;
using Akka.Actor;

namespace ActorCache.Keyspace;

/// <summary>A request the keyspace accepted, with the distinct keys its command needs.</summary>
internal sealed class PendingRequest(CacheRequest request, CommandSpec command, IActorRef replyTo, CacheKey[] keys, bool isBlindWrite)
{
    public CacheRequest Request { get; } = request;

    public CommandSpec Command { get; } = command;

    public IActorRef ReplyTo { get; } = replyTo;

    /// <summary>Each key once, in argument order.</summary>
    public CacheKey[] Keys { get; } = keys;

    /// <summary>The command overwrites its keys without reading them, so they need not be loaded.</summary>
    public bool IsBlindWrite { get; } = isBlindWrite;

    /// <summary>Keys a load made while this request waited found absent (the negative cache may not keep them).</summary>
    public HashSet<CacheKey>? KnownAbsent { get; set; }

    public bool IsWholeDatabase => Command.Flags.HasFlag(CommandFlags.WholeDatabase);

    /// <summary>The command may change data, so it waits while the node is over its memory limit.</summary>
    public bool IsWrite => (Command.Flags & CommandFlags.Write) != 0;

    /// <summary>Admission order in the keyspace: writes waiting for memory run in this order.</summary>
    public long Sequence { get; set; }

    /// <summary>
    /// Monotonic ms when the write first had to wait for memory (0: it has not); max-write-wait counts from here, not
    /// from an earlier wait for a disk load.
    /// </summary>
    public long WaitingForMemorySince { get; set; }

    /// <summary>Monotonic ms when it started to wait in its keys' queues (request-timeout counts from here); 0 until then.</summary>
    public long ParkedAt { get; set; }

    /// <summary>Order of acceptance among the requests that could not run at once (flush barriers wait for those before them).</summary>
    public long Ordinal { get; set; }

    /// <summary>Answered: run, failed or timed out.</summary>
    public bool Finished { get; set; }

    /// <summary>Set when the request is a transaction: its commands run back to back in place of <see cref="Command"/>.</summary>
    public TransactionPlan? Transaction { get; init; }

    /// <summary>Answers with an error or a reply computed elsewhere; the request is finished.</summary>
    public void Reply(RedisReply reply)
    {
        Finished = true;
        ReplyTo.Tell(new CacheReply(Request.CorrelationId, reply));
    }
}
