using ActorCache.Protocol;
using Akka.Actor;

namespace ActorCache.Resp;

/// <summary>
/// The sender of a connection's requests: keyspaces Tell it their <see cref="CacheReply"/>s, and it puts each in the
/// connection's reply order at once, on the keyspace's thread. A minimal actor reference, not an actor: no mailbox hop
/// and nothing registered with the actor system per connection.
/// </summary>
internal sealed class ReplySink(ActorSystem system, RespConnection connection) : MinimalActorRef
{
    private static readonly ActorPath SharedPath = new RootActorPath(Address.AllSystems) / "temp" / "actor-cache-resp";

    public override ActorPath Path => SharedPath;

    public override IActorRefProvider Provider { get; } = ((ExtendedActorSystem)system).Provider;

    protected override void TellInternal(object message, IActorRef sender)
    {
        if (message is CacheReply reply) connection.Complete(reply.CorrelationId, reply.Reply);
    }
}
