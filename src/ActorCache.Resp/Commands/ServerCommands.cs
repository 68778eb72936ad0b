using System.Text;
using ActorCache.Protocol;
using Akka.Actor;

namespace ActorCache.Resp.Commands;

/// <summary>TIME, SHUTDOWN, DEBUG, WAITDISK and CLUSTER: commands about the node as a whole.</summary>
internal static class ServerCommands
{
    /// <summary>Why CoordinatedShutdown ran, when a client asked for it.</summary>
    private sealed class ShutdownCommandReason : CoordinatedShutdown.Reason
    {
        public static readonly ShutdownCommandReason Instance = new();

        public override int ExitCode => 0;
    }

    public static ValueTask<FrontEndReply> Time(RespConnection connection, byte[][] arguments)
    {
        var microseconds = (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks / 10;
        return new FrontEndReply(new ArrayReply(
        [
            RedisReply.Bulk((microseconds / 1_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            RedisReply.Bulk((microseconds % 1_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ]));
    }

    /// <summary>
    /// SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE]: runs the node's graceful stop (CoordinatedShutdown), which flushes every
    /// dirty key before the process exits. NOSAVE flushes too: dirty keys are the only copy of acknowledged writes, and
    /// the node never drops them.
    /// </summary>
    public static ValueTask<FrontEndReply> Shutdown(RespConnection connection, byte[][] arguments)
    {
        foreach (var option in arguments.Skip(1).Select(a => Encoding.ASCII.GetString(a).ToUpperInvariant()))
        {
            if (option == "ABORT") return new FrontEndReply(RedisReply.Error("ERR No shutdown in progress."));
            if (option is not ("NOSAVE" or "SAVE" or "NOW" or "FORCE")) return new FrontEndReply(ActorCache.Commands.Errors.Syntax);
        }

        _ = CoordinatedShutdown.Get(connection.Server.System).Run(ShutdownCommandReason.Instance);
        return new FrontEndReply(RedisReply.Ok, CloseAfter: true);
    }

    /// <summary>
    /// CLUSTER ...: a node is standalone (clusters of nodes come through Akka.Cluster, not Redis Cluster). Redis's own
    /// answer, which clients such as StackExchange.Redis read as "not a cluster" when they probe at connect.
    /// </summary>
    public static ValueTask<FrontEndReply> Cluster(RespConnection connection, byte[][] arguments) =>
        new FrontEndReply(RedisReply.Error("ERR This instance has cluster support disabled"));

    /// <summary>
    /// WAITDISK (ActorCache's own): answers +OK once everything this connection (and every other) sent before it is on
    /// disk: the node-wide flush barrier. The data commands before it in the pipeline were handed to their keyspaces
    /// before this runs, so the barrier covers them, even one still waiting for a disk load (the barrier waits for the
    /// requests accepted before it). A barrier that takes longer than the shutdown flush timeout answers with an error
    /// instead.
    /// </summary>
    public static async ValueTask<FrontEndReply> WaitDisk(RespConnection connection, byte[][] arguments)
    {
        var node = connection.Server.Node;
        await node.FlushAsync(node.Settings.ShutdownFlushTimeout);
        return new FrontEndReply(RedisReply.Ok);
    }

    /// <summary>DEBUG FLUSHCACHE: every dirty key to disk, then every clean key out of memory (the seed's command).</summary>
    public static async ValueTask<FrontEndReply> Debug(RespConnection connection, byte[][] arguments)
    {
        var subcommand = Encoding.ASCII.GetString(arguments[1]).ToUpperInvariant();
        switch (subcommand)
        {
            case "FLUSHCACHE" when arguments.Length == 2:
                // A flush that times out throws, and the connection answers with its message as an error.
                await connection.Server.Node.FlushCacheAsync();
                return new FrontEndReply(RedisReply.Ok);

            case "HELP" when arguments.Length == 2:
                return new FrontEndReply(new ArrayReply(
                [
                    RedisReply.Bulk("DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"),
                    RedisReply.Bulk("FLUSHCACHE"),
                    RedisReply.Bulk("    Write every dirty key to disk, then drop every clean key from memory."),
                    RedisReply.Bulk("HELP"),
                    RedisReply.Bulk("    Print this help."),
                ]));
            default:
                return new FrontEndReply(Replies.UnknownSubcommand("debug", arguments[1]));
        }
    }
}
