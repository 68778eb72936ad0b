using ActorCache.Commands;
using ActorCache.Protocol;

namespace ActorCache.Keyspace;

/// <summary>
/// A transaction the keyspace accepted: its commands checked against the command table, every key it needs (commands,
/// conditions and watched keys, each once) and whether it may write.
/// </summary>
internal sealed class TransactionPlan
{
    /// <summary>Redis's reply to an EXEC whose queued commands had an error.</summary>
    public const string ExecAbortPrefix = "EXECABORT Transaction discarded because of previous errors.";

    private TransactionPlan(CommandSpec[] commands, CacheTransaction transaction, KeyVersion[] watched, CacheKey[] keys, bool isWrite)
    {
        Commands = commands;
        Transaction = transaction;
        Watched = watched;
        Keys = keys;
        IsWrite = isWrite;
    }

    /// <summary>The spec of each command of <see cref="Transaction"/>, in order.</summary>
    public CommandSpec[] Commands { get; }

    public CacheTransaction Transaction { get; }

    public KeyVersion[] Watched { get; }

    public CacheKey[] Keys { get; }

    public bool IsWrite { get; }

    /// <summary>
    /// Checks every command before anything runs, as Redis does while queueing: an unknown command, a wrong number of
    /// arguments or a whole-database command (which needs the disk's keys and cannot run back to back) refuses the
    /// whole transaction with an EXECABORT error naming the command.
    /// </summary>
    public static TransactionPlan? TryCreate(CacheTransaction transaction, KeyVersion[] watched, CommandTable table, out RedisReply? error)
    {
        error = null;
        var commands = new CommandSpec[transaction.Commands.Length];
        var keys = new List<CacheKey>();
        var seen = new HashSet<CacheKey>();
        var isWrite = false;

        void Need(byte[] key)
        {
            var cacheKey = new CacheKey(key);
            if (seen.Add(cacheKey)) keys.Add(cacheKey);
        }

        for (var i = 0; i < commands.Length; i++)
        {
            var arguments = transaction.Commands[i];
            if (table.TryCheck(arguments, out var command, out var refusal) && command.AllowedInTransaction)
            {
                commands[i] = command;
                isWrite |= (command.Flags & CommandFlags.Write) != 0;
                foreach (var index in command.KeyIndexes(arguments.Length)) Need(arguments[index]);
                continue;
            }

            refusal ??= RedisReply.Error($"ERR '{command!.Name}' is not allowed in a transaction");
            error = RedisReply.Error($"{ExecAbortPrefix} Command {i + 1}: {((ErrorReply)refusal).Message}");
            return null;
        }

        foreach (var condition in transaction.Conditions ?? [])
        {
            if (condition?.Key is null)
            {
                error = RedisReply.Error($"{ExecAbortPrefix} A condition has no key.");
                return null;
            }

            Need(condition.Key);
        }

        foreach (var watch in watched) Need(watch.Key);
        return new TransactionPlan(commands, transaction, watched, keys.ToArray(), isWrite);
    }
}
