using System.Diagnostics.CodeAnalysis;
using System.Text;
using ActorCache.Commands;
using ActorCache.Protocol;

namespace ActorCache.Resp.Commands;

/// <summary>What a front-end command answers, and whether the connection closes after that answer (QUIT).</summary>
internal readonly record struct FrontEndReply(RedisReply Reply, bool CloseAfter = false)
{
    public static implicit operator FrontEndReply(RedisReply reply) => new(reply);

    public static implicit operator ValueTask<FrontEndReply>(FrontEndReply reply) => ValueTask.FromResult(reply);
}

/// <summary>Runs a front-end command on its connection; must not throw for any input.</summary>
internal delegate ValueTask<FrontEndReply> FrontEndHandler(RespConnection connection, byte[][] arguments);

/// <summary>One command the RESP server answers itself: its Redis arity, its COMMAND flags, and its handler.</summary>
internal sealed record FrontEndCommand(string Name, int Arity, string[] Flags, FrontEndHandler Handler, bool AllowedBeforeAuthentication = false)
{
    /// <summary>Checks the arity, then runs the handler.</summary>
    public ValueTask<FrontEndReply> Run(RespConnection connection, byte[][] arguments) =>
        (Arity > 0 ? arguments.Length != Arity : arguments.Length < -Arity)
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
        return
        [
            new("ping", -1, connection, ConnectionCommands.Ping),
            new("echo", 2, connection, ConnectionCommands.Echo),
            new("select", 2, connection, ConnectionCommands.Select),
            new("auth", -2, ["noscript", "loading", "stale", "fast", "no_auth"], ConnectionCommands.Auth, AllowedBeforeAuthentication: true),
            new("hello", -1, ["noscript", "loading", "stale", "fast", "no_auth"], ConnectionCommands.Hello, AllowedBeforeAuthentication: true),
            new("quit", -1, ["loading", "stale", "fast", "no_auth"], ConnectionCommands.Quit, AllowedBeforeAuthentication: true),
            new("reset", 1, ["noscript", "loading", "stale", "fast", "no_auth"], ConnectionCommands.Reset, AllowedBeforeAuthentication: true),
            new("client", -2, ["noscript", "loading", "stale"], ClientCommand.Run),
            new("command", -1, ["loading", "stale"], CommandCommand.Run),
            new("config", -2, admin, ConfigCommand.Run),
            new("info", -1, ["loading", "stale"], InfoCommand.Run),
            new("time", 1, ["loading", "stale", "fast"], ServerCommands.Time),
            new("shutdown", -1, admin, ServerCommands.Shutdown),
            new("debug", -2, admin, ServerCommands.Debug),
            new("cluster", -2, ["loading", "stale"], ServerCommands.Cluster),
        ];
    }
}
