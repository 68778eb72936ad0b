using ActorCache.Protocol;

namespace ActorCache.Client;

/// <summary>Replies the client gives a transaction itself, in the node's words.</summary>
internal static class TransactionReplies
{
    /// <summary>The node's error for a database it does not have (a transaction is sent to its keyspace, never through the node).</summary>
    public static readonly RedisReply DatabaseOutOfRange = RedisReply.Error("ERR DB index is out of range");
}
