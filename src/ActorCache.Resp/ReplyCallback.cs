using ActorCache.Protocol;
using Akka.Actor;

namespace ActorCache.Resp;

/// <summary>
/// The sender of one request whose reply needs more than being put in order (EXEC with front-end replies to merge,
/// the check of watches in another database): runs <paramref name="onReply"/> on the keyspace's thread. Like
/// <see cref="ReplySink"/>, a minimal actor reference, not an actor.
/// </summary>
internal sealed class ReplyCallback(ActorSystem system, Action<RedisReply> onReply) : MinimalActorRef
{
    private static readonly ActorPath SharedPath = new RootActorPath(Address.AllSystems) / "temp" / "actor-cache-resp-callback";

    public override ActorPath Path => SharedPath;

    public override IActorRefProvider Provider { get; } = ((ExtendedActorSystem)system).Provider;

    protected override void TellInternal(object message, IActorRef sender)
    {
        if (message is CacheReply reply) onReply(reply.Reply);
    }
}
