using ActorCache.Protocol;
using Akka.Actor;

namespace ActorCache.Client;

/// <summary>
/// The sender of one request: a minimal actor reference whose Tell completes a task with the reply turned into the
/// caller's type. Unlike <c>Ask</c>, it is not registered with the actor system and needs no timeout timer, and the
/// typed methods need no async wrapper of their own. It can only be the sender of messages inside this process; the
/// remote client correlates replies by id instead.
/// </summary>
internal sealed class ReplyPromise<T> : MinimalActorRef
{
    private static readonly ActorPath SharedPath = new RootActorPath(Address.AllSystems) / "temp" / "actor-cache-reply";
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Func<RedisReply, T> _read;

    /// <param name="provider">The actor system's provider.</param>
    /// <param name="read">Turns the reply into the result; what it throws (an error reply) fails the task.</param>
    public ReplyPromise(IActorRefProvider provider, Func<RedisReply, T> read)
    {
        Provider = provider;
        _read = read;
    }

    public override ActorPath Path => SharedPath;

    public override IActorRefProvider Provider { get; }

    public Task<T> Task => _completion.Task;

    protected override void TellInternal(object message, IActorRef sender)
    {
        switch (message)
        {
            case CacheReply reply:
                try
                {
                    _completion.TrySetResult(_read(reply.Reply));
                }
                catch (Exception ex)
                {
                    _completion.TrySetException(ex);
                }

                break;
            case Status.Failure failure:
                _completion.TrySetException(failure.Cause);
                break;
        }
    }
}
