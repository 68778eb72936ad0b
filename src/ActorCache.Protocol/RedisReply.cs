using System.Text;

namespace ActorCache.Protocol;

/// <summary>
/// A command's reply, shaped like a RESP reply so that every front end can render it without knowing the command:
/// the embedded and remote clients read it, and the RESP server writes it as it is.
/// </summary>
public abstract record RedisReply
{
    /// <summary>The reply "+OK".</summary>
    public static readonly RedisReply Ok = new SimpleStringReply("OK");

    /// <summary>The nil bulk string (a missing key).</summary>
    public static readonly RedisReply Nil = new BulkStringReply(null);

    /// <summary>The nil array (an aborted or absent multi-value reply).</summary>
    public static readonly RedisReply NilArray = new ArrayReply(null);

    /// <summary>The empty array.</summary>
    public static readonly RedisReply EmptyArray = new ArrayReply([]);

    /// <summary>The integer 0.</summary>
    public static readonly RedisReply Zero = new IntegerReply(0);

    /// <summary>The integer 1.</summary>
    public static readonly RedisReply One = new IntegerReply(1);

    /// <summary>An integer reply, sharing the common 0 and 1 instances.</summary>
    public static RedisReply Integer(long value) => value switch { 0 => Zero, 1 => One, _ => new IntegerReply(value) };

    /// <summary>A bulk string reply; null gives <see cref="Nil"/>.</summary>
    public static RedisReply Bulk(byte[]? value) => value is null ? Nil : new BulkStringReply(value);

    /// <summary>A bulk string reply holding the UTF-8 bytes of <paramref name="value"/>.</summary>
    public static RedisReply Bulk(string value) => new BulkStringReply(Encoding.UTF8.GetBytes(value));

    /// <summary>An error reply; <paramref name="message"/> starts with its code, e.g. "ERR syntax error".</summary>
    public static RedisReply Error(string message) => new ErrorReply(message);
}

/// <summary>A status reply such as "OK" or "PONG".</summary>
public sealed record SimpleStringReply(string Value) : RedisReply;

/// <summary>An error; <see cref="Message"/> begins with the error code ("ERR", "WRONGTYPE", ...).</summary>
public sealed record ErrorReply(string Message) : RedisReply
{
    /// <summary>The leading word of the message, e.g. "ERR".</summary>
    public string Code => Message.Split(' ', 2)[0];
}

/// <summary>A signed 64-bit integer reply.</summary>
public sealed record IntegerReply(long Value) : RedisReply;

/// <summary>A binary-safe string; a null <see cref="Value"/> is the nil reply.</summary>
public sealed record BulkStringReply(byte[]? Value) : RedisReply
{
    /// <summary>Compares contents, not array identity, so replies can be compared in tests and models.</summary>
    public bool Equals(BulkStringReply? other) =>
        other is not null && (Value is null ? other.Value is null : other.Value is not null && Value.AsSpan().SequenceEqual(other.Value));

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        if (Value is not null) hash.AddBytes(Value);
        return hash.ToHashCode();
    }

    /// <inheritdoc />
    public override string ToString() => Value is null ? "(nil)" : $"\"{Encoding.UTF8.GetString(Value)}\"";
}

/// <summary>An array of replies; a null <see cref="Items"/> is the nil array.</summary>
public sealed record ArrayReply(IReadOnlyList<RedisReply>? Items) : RedisReply
{
    /// <summary>Compares element by element.</summary>
    public bool Equals(ArrayReply? other) =>
        other is not null && (Items is null ? other.Items is null : other.Items is not null && Items.SequenceEqual(other.Items));

    /// <inheritdoc />
    public override int GetHashCode() => Items?.Count ?? -1;

    /// <inheritdoc />
    public override string ToString() => Items is null ? "(nil array)" : $"[{string.Join(", ", Items)}]";
}

/// <summary>
/// Key-value pairs in order (HELLO, CONFIG GET): a RESP3 map, written to a RESP2 client as the flat array
/// key1, value1, key2, value2, ... the way Redis does.
/// </summary>
public sealed record MapReply(IReadOnlyList<(RedisReply Key, RedisReply Value)> Entries) : RedisReply
{
    /// <summary>Compares entry by entry.</summary>
    public bool Equals(MapReply? other) => other is not null && Entries.SequenceEqual(other.Entries);

    /// <inheritdoc />
    public override int GetHashCode() => Entries.Count;

    /// <inheritdoc />
    public override string ToString() => $"{{{string.Join(", ", Entries.Select(entry => $"{entry.Key}: {entry.Value}"))}}}";
}
