using ActorCache.Protocol;
using Akka.Actor;

namespace ActorCache.Client;

/// <summary>
/// One request of a remote client on its way: the message the caller tells the connection's client actor, and the
/// entry the actor keeps, under its correlation id, until the reply arrives or the deadline passes.
/// </summary>
internal abstract class RemoteCall(int database, byte[][] arguments, long deadline) : INoSerializationVerificationNeeded
{
    public long CorrelationId { get; set; }

    public int Database { get; } = database;

    public byte[][] Arguments { get; } = arguments;

    /// <summary>
    /// Set for a transaction (then <see cref="Arguments"/> is empty): sent with the call's correlation id instead of a
    /// <see cref="CacheRequest"/>.
    /// </summary>
    public CacheTransaction? Transaction { get; init; }

    /// <summary>In <see cref="Environment.TickCount64"/> milliseconds.</summary>
    public long Deadline { get; } = deadline;

    public abstract void Complete(RedisReply reply);

    public abstract void Fail(Exception error);
}

/// <summary>A <see cref="RemoteCall"/> whose task has the caller's type.</summary>
internal sealed class RemoteCall<T>(int database, byte[][] arguments, long deadline, Func<RedisReply, T> read)
    : RemoteCall(database, arguments, deadline)
{
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<T> Task => _completion.Task;

    public override void Complete(RedisReply reply)
    {
        try
        {
            _completion.TrySetResult(read(reply));
        }
        catch (Exception ex)
        {
            _completion.TrySetException(ex);
        }
    }

    public override void Fail(Exception error) => _completion.TrySetException(error);
}
