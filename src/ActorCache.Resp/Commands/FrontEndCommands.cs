using System.Diagnostics.CodeAnalysis;
using System.Text;
using ActorCache.Commands;
using ActorCache.Protocol;

namespace ActorCache.Resp.Commands;

/// <summary>
/// What a front-end command answers, and whether the connection closes after that answer (QUIT). A null
/// <see cref="Reply"/> (<see cref="AnsweredLater"/>) means the command handed its sequence number to a keyspace or a
/// callback that completes it (WATCH, EXEC).
/// </summary>
internal readonly record struct FrontEndReply(RedisReply? Reply, bool CloseAfter = false)
{
    /// <summary>The reply will come later, in its place in the connection's reply order.</summary>
    public static readonly FrontEndReply AnsweredLater = new(null);

    public static implicit operator FrontEndReply(RedisReply reply) => new(reply);

    public static implicit operator ValueTask<FrontEndReply>(FrontEndReply reply) => ValueTask.FromResult(reply);
}

/// <summary>Runs a front-end command on its connection; must not throw for any input.</summary>
internal delegate ValueTask<FrontEndReply> FrontEndHandler(RespConnection connection, byte[][] arguments);

/// <summary>What a front-end command does when it arrives between MULTI and EXEC.</summary>
internal enum TransactionRole
{
    /// <summary>Refused with "Command not allowed inside a transaction", which makes EXEC fail (EXECABORT).</summary>
    NotAllowed,

    /// <summary>
    /// Queued: its reply, which does not depend on the data (PING, ECHO, UNWATCH), is computed now and takes its place
    /// in EXEC's array.
    /// </summary>
    Queued,

    /// <summary>Runs at once with its own behaviour (MULTI, EXEC, DISCARD, WATCH, QUIT, RESET), as in Redis.</summary>
    RunsNow,
}

/// <summary>
/// One command the RESP server answers itself: its Redis arity, its COMMAND flags, its handler, what it does inside
/// MULTI, and (for COMMAND INFO and GETKEYS) whether its arguments from the first on are keys (WATCH).
/// </summary>
internal sealed record FrontEndCommand(
    string Name,
    int Arity,
    string[] Flags,
    FrontEndHandler Handler,
    bool AllowedBeforeAuthentication = false,
    TransactionRole InTransaction = TransactionRole.NotAllowed,
    bool ArgumentsAreKeys = false)
{
    /// <summary>Whether <paramref name="argumentCount"/> arguments (the name included) fit the arity.</summary>
    public bool AcceptsArgumentCount(int argumentCount) => Arity > 0 ? argumentCount == Arity : argumentCount >= -Arity;

    /// <summary>Checks the arity, then runs the handler.</summary>
    public ValueTask<FrontEndReply> Run(RespConnection connection, byte[][] arguments) =>
        !AcceptsArgumentCount(arguments.Length)
            ? new FrontEndReply(Errors.WrongArity(Name))
            : Handler(connection, arguments);
}

/// <summary>
/// The commands of the connection and of the server (PING, AUTH, HELLO, CLIENT, INFO, CONFIG, ...): they act on the
/// connection or the node as a whole, not on a database's keys, so the RESP server runs them instead of a keyspace.
/// Every other command goes to the node's <see cref="CommandTable"/>. COMMAND lists both tables.
/// </summary>
internal static class FrontEndCommands
{
    private static readonly Dictionary<byte[], FrontEndCommand> ByName = Create().ToDictionary(c => Encoding.ASCII.GetBytes(c.Name), AsciiCaseInsensitiveComparer.Instance);

    public static IEnumerable<FrontEndCommand> All => ByName.Values;

    public static bool TryGet(byte[] name, [NotNullWhen(true)] out FrontEndCommand? command) => ByName.TryGetValue(name, out command);

    private static IEnumerable<FrontEndCommand> Create()
    {
        string[] connection = ["fast", "loading", "stale"];
        string[] admin = ["admin", "noscript", "loading", "stale"];
        string[] transaction = ["noscript", "loading", "stale", "fast", "allow_busy"];
        return
        [
            new("ping", -1, connection, ConnectionCommands.Ping, InTransaction: TransactionRole.Queued),
            new("echo", 2, connection, ConnectionCommands.Echo, InTransaction: TransactionRole.Queued),
            new("select", 2, connection, ConnectionCommands.Select),
            new("auth", -2, ["noscript", "loading", "stale", "fast", "no_auth"], ConnectionCommands.Auth, AllowedBeforeAuthentication: true),
            new("hello", -1, ["noscript", "loading", "stale", "fast", "no_auth"], ConnectionCommands.Hello, AllowedBeforeAuthentication: true),
            new("quit", -1, ["loading", "stale", "fast", "no_auth"], ConnectionCommands.Quit, AllowedBeforeAuthentication: true, InTransaction: TransactionRole.RunsNow),
            new("reset", 1, ["noscript", "loading", "stale", "fast", "no_auth"], ConnectionCommands.Reset, AllowedBeforeAuthentication: true, InTransaction: TransactionRole.RunsNow),
            new("multi", 1, transaction, TransactionCommands.Multi, InTransaction: TransactionRole.RunsNow),
            new("exec", 1, ["noscript", "loading", "stale", "skip_slowlog"], TransactionCommands.Exec, InTransaction: TransactionRole.RunsNow),
            new("discard", 1, transaction, TransactionCommands.Discard, InTransaction: TransactionRole.RunsNow),
            new("watch", -2, transaction, TransactionCommands.Watch, InTransaction: TransactionRole.RunsNow, ArgumentsAreKeys: true),
            new("unwatch", 1, transaction, TransactionCommands.Unwatch, InTransaction: TransactionRole.Queued),
            new("client", -2, ["noscript", "loading", "stale"], ClientCommand.Run),
            new("command", -1, ["loading", "stale"], CommandCommand.Run),
            new("config", -2, admin, ConfigCommand.Run),
            new("info", -1, ["loading", "stale"], InfoCommand.Run),
            new("time", 1, ["loading", "stale", "fast"], ServerCommands.Time),
            new("shutdown", -1, admin, ServerCommands.Shutdown),
            new("debug", -2, admin, ServerCommands.Debug),
            new("waitdisk", 1, ["noscript", "loading", "stale"], ServerCommands.WaitDisk),
            new("save", 1, ["admin", "noscript", "no_async_loading", "no_multi"], SnapshotCommands.Save),
            new("bgsave", -1, ["admin", "noscript", "no_async_loading"], SnapshotCommands.BackgroundSave),
            new("lastsave", 1, ["loading", "stale", "fast"], SnapshotCommands.LastSave),
            new("cluster", -2, ["loading", "stale"], ServerCommands.Cluster),
        ];
    }
}
