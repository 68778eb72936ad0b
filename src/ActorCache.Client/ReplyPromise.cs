using ActorCache.Protocol;
using Akka.Actor;

namespace ActorCache.Client;

/// <summary>
/// The sender of one request: a minimal actor reference whose Tell completes a task. Unlike <c>Ask</c>, it is not
/// registered with the actor system and needs no timeout timer, so a request costs two small objects. It can only
/// be the sender of messages inside this process; the remote client correlates replies by id instead.
/// </summary>
internal sealed class ReplyPromise : MinimalActorRef
{
    private static readonly ActorPath SharedPath = new RootActorPath(Address.AllSystems) / "temp" / "actor-cache-reply";
    private readonly TaskCompletionSource<RedisReply> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ReplyPromise(IActorRefProvider provider)
    {
        Provider = provider;
    }

    public override ActorPath Path => SharedPath;

    public override IActorRefProvider Provider { get; }

    public Task<RedisReply> Task => _completion.Task;

    protected override void TellInternal(object message, IActorRef sender)
    {
        switch (message)
        {
            case CacheReply reply:
                _completion.TrySetResult(reply.Reply);
                break;
            case Status.Failure failure:
                _completion.TrySetException(failure.Cause);
                break;
        }
    }
}
