using System.Text;
using ActorCache.Protocol;
using Akka.Actor;

namespace ActorCache.Client;

/// <summary>
/// The <see cref="ICacheClient"/> of a node, embedded or remote; both give the same typed methods.
/// <list type="bullet">
/// <item><see cref="ConnectAsync(ActorSystem, IActorRef, int, TimeSpan?)"/>: a node in the same ActorSystem. Each
/// request goes straight to the keyspace actor of its database (learnt once from the node) with a reply promise as
/// sender, so a call costs one message each way and no temporary actor; a request without a reply within
/// <see cref="CacheClientOptions.RequestTimeout"/> fails with <see cref="CacheTimeoutException"/>.</item>
/// <item><see cref="ConnectAsync(ActorSystem, string, CacheClientOptions?)"/>: a node in another process over
/// Akka.Remote, found at its address and the stable path of its entry actor (<c>/user/actor-cache</c>). One client
/// actor per connection correlates replies to requests by id, so many requests can be in flight; a node that is down
/// fails requests with <see cref="CacheUnavailableException"/> after <see cref="CacheClientOptions.RequestTimeout"/>,
/// and a restarted node is found again without rebuilding the client.</item>
/// </list>
/// </summary>
public sealed class CacheClient : ICacheClient, IDisposable
{
    private static readonly TimeSpan DefaultBarrierTimeout = TimeSpan.FromSeconds(30);
    private static int _connections;
    // Exactly one of the two is set. The typed calls go to the sealed class, not through ICacheTransport: a generic
    // method called through an interface is a generic virtual call, a runtime lookup that the embedded path (measured
    // at well under a microsecond per call) would feel.
    private readonly EmbeddedTransport? _embedded;
    private readonly RemoteTransport? _remote;

    private CacheClient(ICacheTransport transport, int database)
    {
        _embedded = transport as EmbeddedTransport;
        _remote = transport as RemoteTransport;
        Database = database;
    }

    private ICacheTransport Transport => (ICacheTransport?)_embedded ?? _remote!;

    /// <inheritdoc />
    public int Database { get; }

    /// <summary>
    /// Connects to the node whose entry actor is <paramref name="node"/> (in <paramref name="system"/>); requests fail
    /// with <see cref="CacheTimeoutException"/> after the default <see cref="CacheClientOptions.RequestTimeout"/> (5 s).
    /// </summary>
    /// <param name="system">The ActorSystem the node runs in.</param>
    /// <param name="node">The node's entry actor (<c>ActorCacheNode.Entry</c>).</param>
    /// <param name="database">The database of the returned client.</param>
    /// <param name="timeout">How long to wait for the node to answer the connection (default 10 s).</param>
    public static Task<CacheClient> ConnectAsync(ActorSystem system, IActorRef node, int database = 0, TimeSpan? timeout = null) =>
        ConnectEmbeddedAsync(system, node, database, timeout ?? TimeSpan.FromSeconds(10), new CacheClientOptions().RequestTimeout);

    /// <summary>
    /// Connects to the node whose entry actor is <paramref name="node"/> (in <paramref name="system"/>) with
    /// <paramref name="options"/>: its <see cref="CacheClientOptions.Database"/>, and its
    /// <see cref="CacheClientOptions.RequestTimeout"/> for the connection and for every request (a request without a
    /// reply by then fails with <see cref="CacheTimeoutException"/>). <see cref="CacheClientOptions.EntryPath"/> is
    /// for remote clients only.
    /// </summary>
    /// <exception cref="ArgumentException">The options cannot work.</exception>
    public static Task<CacheClient> ConnectAsync(ActorSystem system, IActorRef node, CacheClientOptions options)
    {
        options.Validate();
        return ConnectEmbeddedAsync(system, node, options.Database, options.RequestTimeout, options.RequestTimeout);
    }

    private static async Task<CacheClient> ConnectEmbeddedAsync(ActorSystem system, IActorRef node, int database, TimeSpan connectTimeout, TimeSpan requestTimeout)
    {
        var directory = await node.Ask<KeyspaceDirectory>(GetKeyspaces.Instance, connectTimeout);
        return new CacheClient(new EmbeddedTransport(system, node, [.. directory.Keyspaces], requestTimeout), database);
    }

    /// <summary>
    /// Connects over Akka.Remote to the node at <paramref name="nodeAddress"/> (e.g.
    /// <c>akka.tcp://actor-cache@127.0.0.1:4055</c>), whose entry actor is at <see cref="CacheClientOptions.EntryPath"/>
    /// (<c>/user/actor-cache</c>). <paramref name="system"/> must have Akka.Remote enabled and the ActorCache wire
    /// format: create it with <see cref="CacheClientConfig.Remote"/>. Returns once the node has answered.
    /// </summary>
    /// <exception cref="CacheUnavailableException">
    /// The node did not answer within <see cref="CacheClientOptions.RequestTimeout"/>, or <paramref name="system"/> was
    /// shut down meanwhile (Akka.Remote does that after a failed TLS handshake).
    /// </exception>
    /// <exception cref="ArgumentException">The address is not an Akka address, or the options cannot work.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="system"/> has no Akka.Remote.</exception>
    public static async Task<CacheClient> ConnectAsync(ActorSystem system, string nodeAddress, CacheClientOptions? options = null)
    {
        options ??= new CacheClientOptions();
        options.Validate();
        Address address;
        try
        {
            address = Address.Parse(nodeAddress);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new ArgumentException($"'{nodeAddress}' is not a node address like akka.tcp://actor-cache@127.0.0.1:4055", nameof(nodeAddress), ex);
        }

        if (((ExtendedActorSystem)system).Provider is not Akka.Remote.IRemoteActorRefProvider)
        {
            throw new InvalidOperationException("a remote CacheClient needs an ActorSystem with Akka.Remote: create it with CacheClientConfig.Remote()");
        }

        var canonical = address.ToString();
        if (system.WhenTerminated.IsCompleted) throw ShutDownWhileConnecting(system, canonical);
        var connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var lifetime = new ConnectionLifetime();
        var actor = system.ActorOf(
            RemoteClientActor.Props(canonical, options.EntryPath, options.RequestTimeout, connected, lifetime),
            $"actor-cache-client-{Interlocked.Increment(ref _connections)}");
        try
        {
            // The actor fails the task if the system stops it; the system's end also covers an actor that never started.
            await Task.WhenAny(connected.Task, system.WhenTerminated).WaitAsync(options.RequestTimeout);
        }
        catch (TimeoutException)
        {
            actor.Tell(RemoteClientActor.Stop.Instance, ActorRefs.NoSender);
            throw new CacheUnavailableException(canonical, $"no answer from {options.EntryPath} within {options.RequestTimeout}");
        }

        if (!connected.Task.IsCompleted) throw ShutDownWhileConnecting(system, canonical);
        await connected.Task;
        return new CacheClient(new RemoteTransport(system, actor, lifetime, canonical, options.EntryPath, options.RequestTimeout), options.Database);
    }

    private static CacheUnavailableException ShutDownWhileConnecting(ActorSystem system, string nodeAddress) =>
        new(nodeAddress, RemoteClientActor.ShutDownReason(system, whileConnecting: true));

    /// <inheritdoc />
    public ICacheClient WithDatabase(int database) => new CacheClient(Transport, database);

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
            arguments.Add(Encode(Number((long)ttl.TotalMilliseconds)));
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
    public Task<bool> ExistsAsync(string key) => Send([Command.Exists, Encode(key)], static reply => Expect<IntegerReply>(reply).Value > 0);

    /// <inheritdoc />
    public Task<long> IncrementAsync(string key, long by = 1) =>
        Send([Encode("INCRBY"), Encode(key), Encode(Number(by))], static reply => Expect<IntegerReply>(reply).Value);

    /// <inheritdoc />
    public Task<bool> ExpireAsync(string key, TimeSpan timeToLive) =>
        Send([Encode("PEXPIRE"), Encode(key), Encode(Number((long)timeToLive.TotalMilliseconds))], static reply => Expect<IntegerReply>(reply).Value == 1);

    /// <inheritdoc />
    public Task<TimeSpan?> TimeToLiveAsync(string key) =>
        Send([Encode("PTTL"), Encode(key)], static reply => Expect<IntegerReply>(reply).Value is var ms and >= 0 ? TimeSpan.FromMilliseconds(ms) : (TimeSpan?)null);

    /// <inheritdoc />
    public Task<long> DatabaseSizeAsync() => Send([Encode("DBSIZE")], static reply => Expect<IntegerReply>(reply).Value);

    /// <inheritdoc />
    public Task<RedisReply> TransactionAsync(IEnumerable<byte[][]> commands, params TransactionCondition[] conditions)
    {
        ArgumentNullException.ThrowIfNull(commands);
        byte[][][] list = [.. commands];
        TransactionCondition[] checks = conditions ?? [];
        // Checked here: a null would fail the wire format on its way to a remote node, and the call would only time out.
        if (Array.Exists(list, command => command is null || command.Length == 0 || Array.Exists(command, argument => argument is null)))
        {
            throw new ArgumentException("every command needs a name, and no argument may be null", nameof(commands));
        }

        if (Array.Exists(checks, condition => condition?.Key is null))
        {
            throw new ArgumentException("every condition needs a key", nameof(conditions));
        }

        return _embedded is { } embedded ? embedded.TransactionAsync(list, checks, Database) : _remote!.TransactionAsync(list, checks, Database);
    }

    /// <inheritdoc />
    public Task<RedisReply> TransactionAsync(IEnumerable<string[]> commands, params TransactionCondition[] conditions)
    {
        ArgumentNullException.ThrowIfNull(commands);
        return TransactionAsync(commands.Select(command => command.Select(Encode).ToArray()), conditions);
    }

    /// <inheritdoc />
    public Task FlushToDiskAsync(TimeSpan? timeout = null) => Transport.FlushToDiskAsync(timeout ?? DefaultBarrierTimeout);

    /// <inheritdoc />
    public Task<NodeStats> GetStatsAsync() => Transport.GetStatsAsync();

    /// <summary>
    /// Stops a remote connection's client actor (its pending requests fail with <see cref="CacheUnavailableException"/>);
    /// clients made with <see cref="WithDatabase"/> share it. Nothing to do for an embedded client.
    /// </summary>
    public void Dispose() => Transport.Stop();

    // One message out, one reply in: the transport turns the reply into the result, so no async wrapper is needed.
    private Task<T> Send<T>(byte[][] arguments, Func<RedisReply, T> read) =>
        _embedded is { } embedded ? embedded.Send(arguments, Database, read) : _remote!.Send(arguments, Database, read);

    private static T Expect<T>(RedisReply reply) where T : RedisReply =>
        Throw(reply) as T ?? throw new CacheException($"unexpected reply {reply}");

    private static RedisReply Throw(RedisReply reply) => reply is ErrorReply error ? throw new CacheException(error.Message) : reply;

    private static string Number(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

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
