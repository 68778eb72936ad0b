using System.Text;
using ActorCache.Protocol;
using Akka.Actor;

namespace ActorCache.Client;

/// <summary>
/// The sender of one request: a minimal actor reference whose Tell completes a task with the reply turned into the
/// caller's type. Unlike <c>Ask</c>, it is not registered with the actor system and needs no timer of its own (its
/// timeout is a link in the client's <see cref="RequestDeadlines"/>), and the typed methods need no async wrapper
/// of their own. It can only be the sender of messages inside this process; the remote client correlates replies by id
/// instead.
/// </summary>
internal sealed class ReplyPromise<T> : TimedRequest
{
    private static readonly ActorPath SharedPath = new RootActorPath(Address.AllSystems) / "temp" / "actor-cache-reply";
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Func<RedisReply, T> _read;
    private readonly byte[]? _command;
    private readonly int _database;

    /// <param name="provider">The actor system's provider.</param>
    /// <param name="read">Turns the reply into the result; what it throws (an error reply) fails the task.</param>
    /// <param name="command">The command's name, for the timeout's message.</param>
    /// <param name="database">The database the request goes to, for the timeout's message.</param>
    public ReplyPromise(IActorRefProvider provider, Func<RedisReply, T> read, byte[]? command, int database)
    {
        Provider = provider;
        _read = read;
        _command = command;
        _database = database;
    }

    public override ActorPath Path => SharedPath;

    public override IActorRefProvider Provider { get; }

    public Task<T> Task => _completion.Task;

    public override void TimeOut(TimeSpan timeout) =>
        _completion.TrySetException(new CacheTimeoutException(_command is null ? "(empty)" : Encoding.UTF8.GetString(_command), _database, timeout));

    protected override void TellInternal(object message, IActorRef sender)
    {
        switch (message)
        {
            case CacheReply reply:
                RequestDeadlines.Forget(this);
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
                RequestDeadlines.Forget(this);
                _completion.TrySetException(failure.Cause);
                break;
        }
    }
}
