using ActorCache.Protocol;

namespace ActorCache.Resp.Commands;

/// <summary>
/// MULTI, EXEC, DISCARD, WATCH and UNWATCH: Redis's transactions. The state (the queue, the watches) belongs to the
/// connection (see RespConnection.Transactions.cs); these are the commands' entry points.
/// </summary>
internal static class TransactionCommands
{
    public static ValueTask<FrontEndReply> Multi(RespConnection connection, byte[][] arguments) => new FrontEndReply(connection.BeginMulti());

    public static ValueTask<FrontEndReply> Exec(RespConnection connection, byte[][] arguments) => connection.ExecAsync();

    public static ValueTask<FrontEndReply> Discard(RespConnection connection, byte[][] arguments) => new FrontEndReply(connection.DiscardMulti());

    public static ValueTask<FrontEndReply> Watch(RespConnection connection, byte[][] arguments) => connection.Watch(arguments);

    /// <summary>
    /// Releases every watch. Queued inside MULTI, where Redis runs it after EXEC has checked the watches (so it changes
    /// nothing there): its +OK goes into EXEC's array and the watches stay for EXEC.
    /// </summary>
    public static ValueTask<FrontEndReply> Unwatch(RespConnection connection, byte[][] arguments)
    {
        if (!connection.InMulti) connection.ReleaseWatches();
        return new FrontEndReply(RedisReply.Ok);
    }
}
