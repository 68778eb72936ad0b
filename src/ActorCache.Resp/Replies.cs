using ActorCache.Protocol;

namespace ActorCache.Resp;

/// <summary>The replies of the RESP front end's own commands, with Redis's wording (the shared ones are in <see cref="ActorCache.Commands.Errors"/>).</summary>
internal static class Replies
{
    public static readonly RedisReply NoAuth = RedisReply.Error("NOAUTH Authentication required.");
    public static readonly RedisReply WrongPass = RedisReply.Error("WRONGPASS invalid username-password pair or user is disabled.");
    public static readonly RedisReply NoPasswordSet = RedisReply.Error(
        "ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?");
    public static readonly RedisReply Pong = new SimpleStringReply("PONG");
    public static readonly RedisReply Reset = new SimpleStringReply("RESET");
    public static readonly RedisReply Queued = new SimpleStringReply("QUEUED");
    public static readonly RedisReply NestedMulti = RedisReply.Error("ERR MULTI calls can not be nested");
    public static readonly RedisReply ExecWithoutMulti = RedisReply.Error("ERR EXEC without MULTI");
    public static readonly RedisReply DiscardWithoutMulti = RedisReply.Error("ERR DISCARD without MULTI");
    public static readonly RedisReply WatchInsideMulti = RedisReply.Error("ERR WATCH inside MULTI is not allowed");
    public static readonly RedisReply ExecAbort = RedisReply.Error("EXECABORT Transaction discarded because of previous errors.");
    public static readonly RedisReply NotAllowedInTransaction = RedisReply.Error("ERR Command not allowed inside a transaction");

    public static RedisReply UnknownSubcommand(string command, byte[] subcommand) => RedisReply.Error(
        $"ERR unknown subcommand '{Text(subcommand)}'. Try {command.ToUpperInvariant()} HELP.");

    public static string Text(byte[] bytes) => System.Text.Encoding.UTF8.GetString(bytes);
}
