using System.Text;
using ActorCache.Commands;
using ActorCache.Protocol;

namespace ActorCache.Resp.Commands;

/// <summary>
/// COMMAND [COUNT | LIST | INFO [name ...] | DOCS [name ...]]: what clients and redis-cli ask at start to learn the
/// commands, their arity and key positions. Built from both tables: the node's data commands and the front end's own.
/// </summary>
internal static class CommandCommand
{
    public static ValueTask<FrontEndReply> Run(RespConnection connection, byte[][] arguments)
    {
        if (arguments.Length == 1) return new FrontEndReply(new ArrayReply(AllNames().Select(Info).ToArray()));
        var subcommand = Encoding.ASCII.GetString(arguments[1]).ToUpperInvariant();
        var names = arguments.Skip(2).Select(name => Encoding.UTF8.GetString(name).ToLowerInvariant()).ToList();
        return new FrontEndReply((subcommand, arguments.Length) switch
        {
            ("COUNT", 2) => RedisReply.Integer(AllNames().Count()),
            ("LIST", 2) => new ArrayReply(AllNames().Select(RedisReply.Bulk).ToArray()),
            ("INFO", 2) => new ArrayReply(AllNames().Select(Info).ToArray()),
            ("INFO", _) => new ArrayReply(names.Select(name => Exists(name) ? Info(name) : RedisReply.NilArray).ToArray()),
            ("DOCS", 2) => Docs(AllNames()),
            ("DOCS", _) => Docs(names.Where(Exists)),
            ("GETKEYS", >= 3) => GetKeys(arguments[2..]),
            ("HELP", 2) => new ArrayReply(Help.Select(RedisReply.Bulk).ToArray()),
            ("COUNT" or "LIST" or "GETKEYS" or "HELP", _) =>
                RedisReply.Error($"ERR wrong number of arguments for 'command|{subcommand.ToLowerInvariant()}' command"),
            _ => Replies.UnknownSubcommand("command", arguments[1]),
        });
    }

    private static readonly string[] Help =
    [
        "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "(no subcommand)", "    Return details about all commands.",
        "COUNT", "    Return the total number of commands.",
        "LIST", "    Return the names of all commands.",
        "INFO [<command-name> ...]", "    Return details about the given commands, or all commands.",
        "DOCS [<command-name> ...]", "    Return documentation (empty here) for the given commands, or all commands.",
        "GETKEYS <full-command>", "    Return the keys of a full command.",
        "HELP", "    Print this help.",
    ];

    private static IEnumerable<string> AllNames() =>
        CommandTable.Default.Commands.Select(c => c.Name).Concat(FrontEndCommands.All.Select(c => c.Name)).Order(StringComparer.Ordinal);

    private static bool Exists(string name) => Find(name) is not null;

    private static object? Find(string name)
    {
        var bytes = Encoding.UTF8.GetBytes(name);
        if (FrontEndCommands.TryGet(bytes, out var frontEnd)) return frontEnd;
        return CommandTable.Default.TryGet(bytes, out var data) ? data : null;
    }

    /// <summary>Redis 7's layout: name, arity, flags, first key, last key, step, ACL categories, tips, key specs, subcommands.</summary>
    private static RedisReply Info(string name)
    {
        var (arity, flags, first, last, step) = Find(name) is FrontEndCommand frontEnd
            ? (frontEnd.Arity, frontEnd.Flags, frontEnd.ArgumentsAreKeys ? 1 : 0, frontEnd.ArgumentsAreKeys ? -1 : 0, frontEnd.ArgumentsAreKeys ? 1 : 0)
            : Find(name) is CommandSpec data ? (data.Arity, DataFlags(data), data.FirstKey, data.LastKey, data.KeyStep) : (0, [], 0, 0, 0);
        return new ArrayReply(
        [
            RedisReply.Bulk(name),
            RedisReply.Integer(arity),
            new ArrayReply(flags.Select(flag => (RedisReply)new SimpleStringReply(flag)).ToArray()),
            RedisReply.Integer(first),
            RedisReply.Integer(last),
            RedisReply.Integer(step),
            RedisReply.EmptyArray,
            RedisReply.EmptyArray,
            RedisReply.EmptyArray,
            RedisReply.EmptyArray,
        ]);
    }

    private static string[] DataFlags(CommandSpec command) =>
        command.Flags.HasFlag(CommandFlags.Write) ? ["write", "denyoom"] : ["readonly", "fast"];

    /// <summary>A map from each name to its (empty) documentation: enough for redis-cli's hints and client handshakes.</summary>
    private static RedisReply Docs(IEnumerable<string> names) =>
        new MapReply(names.Select(name => ((RedisReply)RedisReply.Bulk(name), (RedisReply)new MapReply([]))).ToArray());

    private static RedisReply GetKeys(byte[][] command)
    {
        if (!CommandTable.Default.TryGet(command[0], out var spec))
        {
            if (!FrontEndCommands.TryGet(command[0], out var frontEnd)) return RedisReply.Error("ERR Invalid command specified");
            if (!frontEnd.AcceptsArgumentCount(command.Length)) return RedisReply.Error("ERR Invalid number of arguments specified for command");
            return frontEnd.ArgumentsAreKeys
                ? new ArrayReply(command[1..].Select(RedisReply.Bulk).ToArray())
                : RedisReply.Error("ERR The command has no key arguments");
        }

        if (!spec.AcceptsArgumentCount(command.Length)) return RedisReply.Error("ERR Invalid number of arguments specified for command");
        if (spec.FirstKey == 0) return RedisReply.Error("ERR The command has no key arguments");
        return new ArrayReply(spec.KeyIndexes(command.Length).Select(i => RedisReply.Bulk(command[i])).ToArray());
    }
}
