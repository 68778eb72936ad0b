using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace ActorCache.Commands;

/// <summary>
/// The one command table: every front end (embedded client, remote client, RESP) sends the same argument arrays,
/// and the keyspace looks each command up here to learn its arity, its keys and its handler. Adding a command is one
/// line in <see cref="CreateDefault"/>.
/// </summary>
public sealed class CommandTable
{
    private readonly Dictionary<byte[], CommandSpec> _byName;

    private CommandTable(IEnumerable<CommandSpec> commands)
    {
        _byName = commands.ToDictionary(c => Encoding.ASCII.GetBytes(c.Name), AsciiCaseInsensitiveComparer.Instance);
    }

    /// <summary>The commands this node serves.</summary>
    public static CommandTable Default { get; } = CreateDefault();

    /// <summary>Every command, in no particular order.</summary>
    public IEnumerable<CommandSpec> Commands => _byName.Values;

    /// <summary>Finds a command by name, ignoring ASCII case.</summary>
    public bool TryGet(byte[] name, [NotNullWhen(true)] out CommandSpec? command) => _byName.TryGetValue(name, out command);

    /// <summary>
    /// Checks a call before anything runs: true (and the command) when it names a known command with a fitting number
    /// of arguments, else false and Redis's error for it (empty command, unknown command, wrong number of arguments).
    /// </summary>
    internal bool TryCheck(byte[][]? arguments, [NotNullWhen(true)] out CommandSpec? command, [NotNullWhen(false)] out Protocol.RedisReply? error)
    {
        command = null;
        if (arguments is null || arguments.Length == 0 || Array.Exists(arguments, a => a is null)) error = Errors.EmptyCommand;
        else if (!TryGet(arguments[0], out command)) error = Errors.UnknownCommand(arguments);
        else if (!command.AcceptsArgumentCount(arguments.Length)) error = Errors.WrongArity(command.Name);
        else error = null;
        return error is null;
    }

    private static CommandTable CreateDefault()
    {
        const CommandFlags write = CommandFlags.Write;
        const CommandFlags read = CommandFlags.ReadOnly;
        const CommandFlags whole = CommandFlags.WholeDatabase | CommandFlags.ReadOnly;
        ScanPlanner everything = (byte[][] _, out ScanRange range) => { range = ScanRange.Everything; return null; };
        BlindWriteTest always = _ => true;
        CommandSpec C(string name, int arity, CommandFlags flags, int first, int last, int step, CommandHandler handler,
            ScanPlanner? plan = null, BlindWriteTest? blind = null) =>
            new(name, arity, flags, first, last, step, handler, plan, blind);

        return new CommandTable(
        [
            C("get", 2, read, 1, 1, 1, StringCommands.Get),
            C("set", -3, write, 1, 1, 1, StringCommands.Set, blind: StringCommands.SetIsBlind),
            C("setnx", 3, write, 1, 1, 1, StringCommands.SetNx),
            C("setex", 4, write, 1, 1, 1, StringCommands.SetEx, blind: always),
            C("psetex", 4, write, 1, 1, 1, StringCommands.PSetEx, blind: always),
            C("getset", 3, write, 1, 1, 1, StringCommands.GetSet),
            C("getdel", 2, write, 1, 1, 1, StringCommands.GetDel),
            C("getex", -2, write, 1, 1, 1, StringCommands.GetEx),
            C("mget", -2, read, 1, -1, 1, StringCommands.MGet),
            C("mset", -3, write, 1, -1, 2, StringCommands.MSet, blind: always),
            C("msetnx", -3, write, 1, -1, 2, StringCommands.MSetNx),
            C("append", 3, write, 1, 1, 1, StringCommands.Append),
            C("strlen", 2, read, 1, 1, 1, StringCommands.StrLen),
            C("getrange", 4, read, 1, 1, 1, StringCommands.GetRange),
            C("setrange", 4, write, 1, 1, 1, StringCommands.SetRange),
            C("incr", 2, write, 1, 1, 1, StringCommands.Incr),
            C("decr", 2, write, 1, 1, 1, StringCommands.Decr),
            C("incrby", 3, write, 1, 1, 1, StringCommands.IncrBy),
            C("decrby", 3, write, 1, 1, 1, StringCommands.DecrBy),
            C("incrbyfloat", 3, write, 1, 1, 1, StringCommands.IncrByFloat),
            C("del", -2, write, 1, -1, 1, KeyCommands.Del),
            C("unlink", -2, write, 1, -1, 1, KeyCommands.Del),
            C("exists", -2, read, 1, -1, 1, KeyCommands.Exists),
            C("touch", -2, read, 1, -1, 1, KeyCommands.Exists),
            C("type", 2, read, 1, 1, 1, KeyCommands.Type),
            C("expire", -3, write, 1, 1, 1, KeyCommands.Expire),
            C("pexpire", -3, write, 1, 1, 1, KeyCommands.PExpire),
            C("expireat", -3, write, 1, 1, 1, KeyCommands.ExpireAt),
            C("pexpireat", -3, write, 1, 1, 1, KeyCommands.PExpireAt),
            C("ttl", 2, read, 1, 1, 1, KeyCommands.Ttl),
            C("pttl", 2, read, 1, 1, 1, KeyCommands.PTtl),
            C("expiretime", 2, read, 1, 1, 1, KeyCommands.ExpireTime),
            C("pexpiretime", 2, read, 1, 1, 1, KeyCommands.PExpireTime),
            C("persist", 2, write, 1, 1, 1, KeyCommands.Persist),
            C("rename", 3, write, 1, 2, 1, KeyCommands.Rename),
            C("renamenx", 3, write, 1, 2, 1, KeyCommands.RenameNx),
            C("keys", 2, whole, 0, 0, 0, DatabaseCommands.Keys, everything),
            C("scan", -2, whole, 0, 0, 0, DatabaseCommands.Scan, DatabaseCommands.PlanScan),
            C("dbsize", 1, whole, 0, 0, 0, DatabaseCommands.DbSize, everything),
            C("randomkey", 1, whole, 0, 0, 0, DatabaseCommands.RandomKey, everything),
            C("flushdb", -1, write | CommandFlags.WholeDatabase, 0, 0, 0, DatabaseCommands.FlushDb),
            C("flushall", -1, write | CommandFlags.WholeDatabase | CommandFlags.Node, 0, 0, 0, DatabaseCommands.FlushAll),
        ]);
    }
}
