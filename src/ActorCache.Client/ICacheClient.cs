using ActorCache.Protocol;

namespace ActorCache.Client;

/// <summary>When a SET applies.</summary>
public enum SetCondition
{
    /// <summary>Always.</summary>
    Always,

    /// <summary>Only if the key does not exist (NX).</summary>
    IfNotExists,

    /// <summary>Only if the key exists (XX).</summary>
    IfExists,
}

/// <summary>
/// A typed async client of one database of a node. Methods throw <see cref="CacheException"/> when the node answers
/// with an error; string overloads use UTF-8. Any command of the node is available through <see cref="ExecuteAsync(byte[][])"/>.
/// </summary>
public interface ICacheClient
{
    /// <summary>The database this client talks to.</summary>
    int Database { get; }

    /// <summary>A client of another database of the same node (Redis's SELECT).</summary>
    ICacheClient WithDatabase(int database);

    /// <summary>Runs any command: the name and its arguments, as a Redis client sends them.</summary>
    Task<RedisReply> ExecuteAsync(params byte[][] arguments);

    /// <summary>Runs any command given as strings (UTF-8).</summary>
    Task<RedisReply> ExecuteAsync(params string[] arguments);

    /// <summary>GET: the value, or null when the key does not exist.</summary>
    Task<byte[]?> GetAsync(byte[] key);

    /// <inheritdoc cref="GetAsync(byte[])"/>
    Task<string?> GetAsync(string key);

    /// <summary>SET with an optional time to live and condition; false when the condition did not hold.</summary>
    Task<bool> SetAsync(byte[] key, byte[] value, TimeSpan? expiry = null, SetCondition when = SetCondition.Always);

    /// <inheritdoc cref="SetAsync(byte[], byte[], TimeSpan?, SetCondition)"/>
    Task<bool> SetAsync(string key, string value, TimeSpan? expiry = null, SetCondition when = SetCondition.Always);

    /// <summary>DEL: how many of the keys existed.</summary>
    Task<long> DeleteAsync(params byte[][] keys);

    /// <inheritdoc cref="DeleteAsync(byte[][])"/>
    Task<long> DeleteAsync(params string[] keys);

    /// <summary>EXISTS for one key.</summary>
    Task<bool> ExistsAsync(string key);

    /// <summary>INCRBY: the new value.</summary>
    Task<long> IncrementAsync(string key, long by = 1);

    /// <summary>PEXPIRE: false when the key does not exist.</summary>
    Task<bool> ExpireAsync(string key, TimeSpan timeToLive);

    /// <summary>PTTL: null when the key does not exist or has no expiry.</summary>
    Task<TimeSpan?> TimeToLiveAsync(string key);

    /// <summary>DBSIZE: keys in memory and on disk together.</summary>
    Task<long> DatabaseSizeAsync();

    /// <summary>
    /// Runs <paramref name="commands"/> (each a name and its arguments) as one transaction, Redis's MULTI/EXEC: the node
    /// loads every key they need, checks <paramref name="conditions"/>, then runs them back to back with nothing in
    /// between, and their saves reach the disk together.
    /// </summary>
    /// <returns>
    /// An <see cref="ArrayReply"/> with each command's reply (a command that fails at run time, e.g. INCR of a
    /// non-integer, has its <see cref="ErrorReply"/> there and the others still apply, as in Redis);
    /// <see cref="RedisReply.NilArray"/> when a condition did not hold (nothing ran); or an <see cref="ErrorReply"/>
    /// starting with <c>EXECABORT</c> when a command was refused before anything ran (unknown, wrong number of
    /// arguments, or a whole-database command such as KEYS or FLUSHDB). Errors are returned, not thrown, as by
    /// <see cref="ExecuteAsync(byte[][])"/>.
    /// </returns>
    /// <exception cref="ArgumentException">A command is empty or has a null argument, or a condition has no key.</exception>
    Task<RedisReply> TransactionAsync(IEnumerable<byte[][]> commands, params TransactionCondition[] conditions);

    /// <inheritdoc cref="TransactionAsync(IEnumerable{byte[][]}, TransactionCondition[])"/>
    Task<RedisReply> TransactionAsync(IEnumerable<string[]> commands, params TransactionCondition[] conditions);

    /// <summary>A barrier over the whole node: returns once everything written before it is on disk.</summary>
    Task FlushToDiskAsync(TimeSpan? timeout = null);

    /// <summary>
    /// The node's figures (every database, not only this client's): hits, misses, disk loads and saves, evictions,
    /// dirty keys, IO queue and memory, the same figures as INFO and the ActorCache meter.
    /// </summary>
    /// <exception cref="CacheUnavailableException">A remote node did not answer within the request timeout.</exception>
    Task<NodeStats> GetStatsAsync();
}
