using ActorCache.Protocol;
using ActorCache.Keyspace;
using ActorCache.Settings;

namespace ActorCache.Commands;

/// <summary>The union of memory and disk over one SCAN range: what a whole-database command sees.</summary>
/// <param name="Keys">Live keys in the range, each once.</param>
/// <param name="NextCursor">Where the next SCAN call starts, 0 when the database is covered.</param>
internal sealed record DatabaseView(IReadOnlyList<byte[]> Keys, ulong NextCursor);

/// <summary>Which part of the database a whole-database command needs to see.</summary>
internal readonly record struct ScanRange(ulong Cursor, int Count)
{
    public static readonly ScanRange Everything = new(0, int.MaxValue);
}

/// <summary>What the keyspace offers a handler beyond its data: operations that involve the disk.</summary>
internal interface IKeyspaceOperations
{
    /// <summary>Empties the database in memory and on disk (FLUSHDB).</summary>
    void FlushDatabase();

    /// <summary>WATCH: counts a watcher on each key of the arguments and answers their versions (internal command).</summary>
    RedisReply Watch(CommandContext context);

    /// <summary>Releases the watches on each key of the arguments (internal command).</summary>
    RedisReply Unwatch(CommandContext context);
}

/// <summary>
/// Everything a handler may use while it runs: its arguments, the database, and the settings. A keyspace keeps one
/// and prepares it for each command (handlers run one at a time and never keep it), which spares an allocation per
/// request on the hot path.
/// </summary>
internal sealed class CommandContext(Database database, CacheSettings settings, IKeyspaceOperations keyspace)
{
    private DatabaseView? _view;

    public byte[][] Args { get; private set; } = [];

    public Database Db { get; } = database;

    public CacheSettings Settings { get; set; } = settings;

    public IKeyspaceOperations Keyspace { get; } = keyspace;

    /// <summary>Set for the <see cref="CommandFlags.WholeDatabase"/> commands that read the disk's keys.</summary>
    public DatabaseView View => _view ?? throw new InvalidOperationException("this command did not ask for a database view");

    /// <summary>Points the context at the next command to run.</summary>
    public CommandContext Prepare(byte[][] arguments, DatabaseView? view)
    {
        Args = arguments;
        _view = view;
        return this;
    }

    public CacheKey Key(int index) => new(Args[index]);

    /// <summary>True when argument <paramref name="index"/> equals <paramref name="word"/>, ignoring ASCII case.</summary>
    public bool Is(int index, string word) => Arguments.EqualsIgnoreCase(Args[index], word);
}
