using ActorCache.Commands;
using ActorCache.Protocol;
using Akka.Actor;

namespace ActorCache.Keyspace;

/// <summary>A request that the keyspace accepted but could not run yet because one of its keys is being loaded.</summary>
internal sealed class PendingRequest(CacheRequest request, CommandSpec command, IActorRef replyTo)
{
    public CacheRequest Request { get; } = request;

    public CommandSpec Command { get; } = command;

    public IActorRef ReplyTo { get; } = replyTo;

    /// <summary>Keys a load made on this request's behalf found absent (the negative cache may not keep them).</summary>
    public HashSet<CacheKey>? KnownAbsent { get; set; }

    public void Reply(RedisReply reply) => ReplyTo.Tell(new CacheReply(Request.CorrelationId, reply));
}
