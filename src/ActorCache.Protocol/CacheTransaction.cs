namespace ActorCache.Protocol;

/// <summary>
/// Runs <see cref="Commands"/> in database <see cref="Database"/> as one transaction (Redis's MULTI/EXEC): the node
/// first loads every key they need, then checks <see cref="Conditions"/>, then runs the commands back to back with
/// nothing in between, and the saves they cause reach the disk together. Each command is a name and its arguments, as
/// in <see cref="CacheRequest"/>.
/// </summary>
/// <remarks>
/// The node answers with a <see cref="CacheReply"/> of the same <see cref="CorrelationId"/> holding:
/// an array with each command's reply (a command that fails at run time has its error there, and the others still
/// apply, as in Redis); <see cref="RedisReply.NilArray"/> when a condition did not hold (nothing ran); or an
/// <c>EXECABORT</c> error when a command was refused before anything ran (unknown, wrong number of arguments, or not
/// allowed in a transaction: whole-database commands such as KEYS, SCAN, DBSIZE, FLUSHDB and FLUSHALL).
/// </remarks>
public sealed record CacheTransaction(long CorrelationId, int Database, byte[][][] Commands, TransactionCondition[] Conditions)
{
    /// <summary>Compares contents, not the arrays' identity.</summary>
    public bool Equals(CacheTransaction? other) =>
        other is not null && CorrelationId == other.CorrelationId && Database == other.Database
        && Commands.Length == other.Commands.Length
        && Commands.Zip(other.Commands).All(pair => pair.First.Length == pair.Second.Length
                                                    && pair.First.Zip(pair.Second).All(a => a.First.AsSpan().SequenceEqual(a.Second)))
        && Conditions.SequenceEqual(other.Conditions);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(CorrelationId, Database, Commands.Length, Conditions.Length);
}

/// <summary>What a <see cref="TransactionCondition"/> requires of its key.</summary>
public enum ConditionKind : byte
{
    /// <summary>The key holds a string equal to the condition's value.</summary>
    ValueEquals = 1,

    /// <summary>The key exists.</summary>
    Exists = 2,

    /// <summary>The key does not exist.</summary>
    NotExists = 3,
}

/// <summary>
/// A check a <see cref="CacheTransaction"/> makes on one key after loading it and before running anything: if any
/// check fails, nothing runs (the optimistic locking of Redis's WATCH, stated as the value the client expects).
/// </summary>
public sealed record TransactionCondition(byte[] Key, ConditionKind Kind, byte[]? Value)
{
    /// <summary>The key must hold exactly <paramref name="value"/>.</summary>
    public static TransactionCondition ValueEquals(byte[] key, byte[] value) => new(key, ConditionKind.ValueEquals, value);

    /// <summary>The key must exist.</summary>
    public static TransactionCondition Exists(byte[] key) => new(key, ConditionKind.Exists, null);

    /// <summary>The key must not exist.</summary>
    public static TransactionCondition NotExists(byte[] key) => new(key, ConditionKind.NotExists, null);

    /// <summary>Compares contents, not the arrays' identity.</summary>
    public bool Equals(TransactionCondition? other) =>
        other is not null && Kind == other.Kind && Key.AsSpan().SequenceEqual(other.Key)
        && (Value is null ? other.Value is null : other.Value is not null && Value.AsSpan().SequenceEqual(other.Value));

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, Key.Length);
}
