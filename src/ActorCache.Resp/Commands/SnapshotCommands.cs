using ActorCache.Protocol;

namespace ActorCache.Resp.Commands;

/// <summary>
/// SAVE, BGSAVE and LASTSAVE: point-in-time snapshots of every database under <c>&lt;data-dir&gt;/snapshots/</c>
/// (README "Durability"). The node keeps serving while one is taken; only one runs at a time.
/// </summary>
internal static class SnapshotCommands
{
    private static readonly RedisReply InProgress = RedisReply.Error("ERR Background save already in progress");

    /// <summary>SAVE: answers +OK once the snapshot is on disk, or an error saying why there is none.</summary>
    public static async ValueTask<FrontEndReply> Save(RespConnection connection, byte[][] arguments)
    {
        var node = connection.Server.Node;
        if ((await node.SnapshotStatusAsync()).InProgress) return InProgress;
        var snapshot = await node.SaveSnapshotAsync();
        return snapshot.Succeeded ? RedisReply.Ok : RedisReply.Error("ERR snapshot failed: " + snapshot.Error);
    }

    /// <summary>BGSAVE [SCHEDULE]: starts a snapshot and answers at once; LASTSAVE and INFO persistence tell how it went.</summary>
    public static async ValueTask<FrontEndReply> BackgroundSave(RespConnection connection, byte[][] arguments)
    {
        var schedule = arguments.Length == 2 && ActorCache.Commands.Arguments.EqualsIgnoreCase(arguments[1], "SCHEDULE");
        if (arguments.Length > 2 || (arguments.Length == 2 && !schedule)) return ActorCache.Commands.Errors.Syntax;
        var node = connection.Server.Node;
        if ((await node.SnapshotStatusAsync()).InProgress)
        {
            // Redis schedules one for after the running one; here the running one is recent enough.
            return schedule ? new SimpleStringReply("Background saving scheduled") : InProgress;
        }

        // The node records and logs the outcome; nobody waits for it here.
        _ = node.SaveSnapshotAsync();
        return new SimpleStringReply("Background saving started");
    }

    /// <summary>LASTSAVE: unix time in seconds of the last successful snapshot (the node's start until one succeeds).</summary>
    public static async ValueTask<FrontEndReply> LastSave(RespConnection connection, byte[][] arguments) =>
        RedisReply.Integer((await connection.Server.Node.SnapshotStatusAsync()).LastSave.ToUnixTimeSeconds());
}
