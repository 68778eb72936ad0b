using ActorCache.Protocol;

namespace ActorCache.Commands;

/// <summary>What a command is, for the keyspace and every front end.</summary>
[Flags]
public enum CommandFlags
{
    /// <summary>No flag.</summary>
    None = 0,

    /// <summary>May change data.</summary>
    Write = 1,

    /// <summary>Never changes data.</summary>
    ReadOnly = 2,

    /// <summary>
    /// Sees or changes the whole database (KEYS, SCAN, DBSIZE, RANDOMKEY, FLUSHDB): it runs after every request that
    /// arrived before it and before every request that arrives after it.
    /// </summary>
    WholeDatabase = 4,

    /// <summary>Acts on every database of the node (FLUSHALL); the node actor runs it.</summary>
    Node = 8,
}

/// <summary>Runs a command whose keys are all in memory or known absent. Must not block and must not throw.</summary>
internal delegate RedisReply CommandHandler(CommandContext context);

/// <summary>True when a call replaces its keys without reading them first, so keys not in memory need no load.</summary>
internal delegate bool BlindWriteTest(byte[][] arguments);

/// <summary>Reads which range of the database a whole-database command needs; an error reply if its arguments are bad.</summary>
internal delegate RedisReply? ScanPlanner(byte[][] arguments, out ScanRange range);

/// <summary>
/// One entry of the command table: name, Redis arity (n = exactly n arguments including the name, -n = at least n),
/// flags, and which arguments are keys (Redis's first/last/step; last -1 = the last argument, first 0 = no keys).
/// The keyspace learns from it which keys to have in memory before the handler runs.
/// </summary>
public sealed class CommandSpec
{
    internal CommandSpec(string name, int arity, CommandFlags flags, int firstKey, int lastKey, int keyStep, CommandHandler handler, ScanPlanner? planScan, BlindWriteTest? isBlindWrite)
    {
        PlanScan = planScan;
        IsBlindWrite = isBlindWrite ?? (_ => false);
        Name = name;
        Arity = arity;
        Flags = flags;
        FirstKey = firstKey;
        LastKey = lastKey;
        KeyStep = keyStep;
        Handler = handler;
    }

    /// <summary>Lower-case command name.</summary>
    public string Name { get; }

    /// <summary>Redis arity: exact count if positive, minimum count if negative (the name included).</summary>
    public int Arity { get; }

    /// <summary>What kind of command this is.</summary>
    public CommandFlags Flags { get; }

    /// <summary>Index of the first key argument, 0 if none.</summary>
    public int FirstKey { get; }

    /// <summary>Index of the last key argument; negative counts from the end (-1 = last).</summary>
    public int LastKey { get; }

    /// <summary>Distance between key arguments.</summary>
    public int KeyStep { get; }

    internal CommandHandler Handler { get; }

    /// <summary>
    /// True for a call that overwrites its keys whatever they held (SET without options that read, MSET): a key not
    /// in memory need not be loaded for it, which spares a disk read per new key.
    /// </summary>
    internal BlindWriteTest IsBlindWrite { get; }

    /// <summary>Set for the <see cref="CommandFlags.WholeDatabase"/> commands that read the disk's keys.</summary>
    internal ScanPlanner? PlanScan { get; }

    /// <summary>
    /// False for the commands a transaction refuses: those that see or change whole databases need the disk's keys
    /// (or every keyspace), so they cannot run back to back with the others inside one keyspace.
    /// </summary>
    public bool AllowedInTransaction => (Flags & (CommandFlags.WholeDatabase | CommandFlags.Node)) == 0;

    /// <summary>True when <paramref name="argumentCount"/> (name included) fits <see cref="Arity"/>.</summary>
    public bool AcceptsArgumentCount(int argumentCount) =>
        Arity >= 0 ? argumentCount == Arity : argumentCount >= -Arity;

    /// <summary>The indexes of the key arguments in a call with <paramref name="argumentCount"/> arguments.</summary>
    public IEnumerable<int> KeyIndexes(int argumentCount)
    {
        if (FirstKey == 0) yield break;
        var last = LastKey >= 0 ? LastKey : argumentCount + LastKey;
        for (var i = FirstKey; i <= last && i < argumentCount; i += KeyStep) yield return i;
    }
}
