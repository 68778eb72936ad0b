using System.Text;
using ActorCache.Protocol;
using Akka.Actor;

namespace ActorCache.Client;

/// <summary>
/// The <see cref="ICacheClient"/> for a node in the same ActorSystem. It sends each request straight to the
/// keyspace actor of its database (learnt once from the node) with a <see cref="ReplyPromise{T}"/> as sender, so a call
/// costs one message each way and no temporary actor.
/// </summary>
public sealed class CacheClient : ICacheClient
{
    private static readonly TimeSpan DefaultBarrierTimeout = TimeSpan.FromSeconds(30);
    private readonly ActorSystem _system;
    private readonly IActorRef _node;
    private readonly IReadOnlyList<IActorRef> _keyspaces;
    private readonly IActorRefProvider _provider;
    private readonly IActorRef _target;

    private CacheClient(ActorSystem system, IActorRef node, IReadOnlyList<IActorRef> keyspaces, int database)
    {
        _system = system;
        _node = node;
        _keyspaces = keyspaces;
        _provider = ((ExtendedActorSystem)system).Provider;
        Database = database;
        // An out-of-range database goes through the node, which answers with Redis's error.
        _target = database >= 0 && database < keyspaces.Count ? keyspaces[database] : node;
    }

    /// <inheritdoc />
    public int Database { get; }

    /// <summary>Connects to the node whose entry actor is <paramref name="node"/> (in <paramref name="system"/>).</summary>
    public static async Task<CacheClient> ConnectAsync(ActorSystem system, IActorRef node, int database = 0, TimeSpan? timeout = null)
    {
        var directory = await node.Ask<KeyspaceDirectory>(GetKeyspaces.Instance, timeout ?? TimeSpan.FromSeconds(10));
        return new CacheClient(system, node, directory.Keyspaces, database);
    }

    /// <inheritdoc />
    public ICacheClient WithDatabase(int database) => new CacheClient(_system, _node, _keyspaces, database);

    /// <inheritdoc />
    public Task<RedisReply> ExecuteAsync(params byte[][] arguments) => Send(arguments, static reply => reply);

    /// <inheritdoc />
    public Task<RedisReply> ExecuteAsync(params string[] arguments) =>
        ExecuteAsync(arguments.Select(Encoding.UTF8.GetBytes).ToArray());

    /// <inheritdoc />
    public Task<byte[]?> GetAsync(byte[] key) => Send([Command.Get, key], static reply => Expect<BulkStringReply>(reply).Value);

    /// <inheritdoc />
    public Task<string?> GetAsync(string key) =>
        Send([Command.Get, Encode(key)], static reply => Decode(Expect<BulkStringReply>(reply).Value));

    /// <inheritdoc />
    public Task<bool> SetAsync(byte[] key, byte[] value, TimeSpan? expiry = null, SetCondition when = SetCondition.Always)
    {
        if (expiry is null && when == SetCondition.Always) return Send([Command.Set, key, value], static reply => Throw(reply) is SimpleStringReply);
        var arguments = new List<byte[]>(6) { Command.Set, key, value };
        if (expiry is { } ttl)
        {
            arguments.Add(Command.Px);
            arguments.Add(Encode(((long)ttl.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        if (when == SetCondition.IfNotExists) arguments.Add(Command.Nx);
        if (when == SetCondition.IfExists) arguments.Add(Command.Xx);
        return Send(arguments.ToArray(), static reply => Throw(reply) is SimpleStringReply);
    }

    /// <inheritdoc />
    public Task<bool> SetAsync(string key, string value, TimeSpan? expiry = null, SetCondition when = SetCondition.Always) =>
        SetAsync(Encode(key), Encode(value), expiry, when);

    /// <inheritdoc />
    public Task<long> DeleteAsync(params byte[][] keys) => Send([Command.Del, .. keys], static reply => Expect<IntegerReply>(reply).Value);

    /// <inheritdoc />
    public Task<long> DeleteAsync(params string[] keys) => DeleteAsync(keys.Select(Encode).ToArray());

    /// <inheritdoc />
    public async Task<bool> ExistsAsync(string key) => Expect<IntegerReply>(await ExecuteAsync(Command.Exists, Encode(key))).Value > 0;

    /// <inheritdoc />
    public async Task<long> IncrementAsync(string key, long by = 1) =>
        Expect<IntegerReply>(await ExecuteAsync("INCRBY", key, by.ToString(System.Globalization.CultureInfo.InvariantCulture))).Value;

    /// <inheritdoc />
    public async Task<bool> ExpireAsync(string key, TimeSpan timeToLive) =>
        Expect<IntegerReply>(await ExecuteAsync("PEXPIRE", key, ((long)timeToLive.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture))).Value == 1;

    /// <inheritdoc />
    public async Task<TimeSpan?> TimeToLiveAsync(string key)
    {
        var milliseconds = Expect<IntegerReply>(await ExecuteAsync("PTTL", key)).Value;
        return milliseconds < 0 ? null : TimeSpan.FromMilliseconds(milliseconds);
    }

    /// <inheritdoc />
    public async Task<long> DatabaseSizeAsync() => Expect<IntegerReply>(await ExecuteAsync("DBSIZE")).Value;

    /// <inheritdoc />
    public Task FlushToDiskAsync(TimeSpan? timeout = null) =>
        _node.Ask<FlushedToDisk>(FlushToDisk.Instance, timeout ?? DefaultBarrierTimeout);

    // One message out, one reply in: the promise turns the reply into the result, so no async wrapper is needed.
    private Task<T> Send<T>(byte[][] arguments, Func<RedisReply, T> read)
    {
        var promise = new ReplyPromise<T>(_provider, read);
        _target.Tell(new CacheRequest(0, Database, arguments), promise);
        return promise.Task;
    }

    private static T Expect<T>(RedisReply reply) where T : RedisReply =>
        Throw(reply) as T ?? throw new CacheException($"unexpected reply {reply}");

    private static RedisReply Throw(RedisReply reply) => reply is ErrorReply error ? throw new CacheException(error.Message) : reply;

    private static byte[] Encode(string text) => Encoding.UTF8.GetBytes(text);

    private static string? Decode(byte[]? bytes) => bytes is null ? null : Encoding.UTF8.GetString(bytes);

    private static class Command
    {
        public static readonly byte[] Get = "GET"u8.ToArray();
        public static readonly byte[] Set = "SET"u8.ToArray();
        public static readonly byte[] Del = "DEL"u8.ToArray();
        public static readonly byte[] Exists = "EXISTS"u8.ToArray();
        public static readonly byte[] Px = "PX"u8.ToArray();
        public static readonly byte[] Nx = "NX"u8.ToArray();
        public static readonly byte[] Xx = "XX"u8.ToArray();
    }
}
