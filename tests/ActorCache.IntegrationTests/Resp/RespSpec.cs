using StackExchange.Redis;
using Xunit;

namespace ActorCache.IntegrationTests.Resp;

/// <summary>
/// Base of the StackExchange.Redis specs: each test gets its own temp folder and a node in it (RocksDB, RESP on a free
/// port of 127.0.0.1), shut down gracefully and deleted afterwards. Multiplexers opened with <see cref="ConnectAsync"/>
/// are disposed before the node stops.
/// </summary>
public abstract class RespSpec : IAsyncLifetime
{
    private readonly List<IDisposable> _clients = [];

    protected string Folder { get; } = Directory.CreateTempSubdirectory("actor-cache-resp-").FullName;

    /// <summary>Extra HOCON inside <c>actor-cache.resp { }</c> for this spec's node.</summary>
    protected virtual string RespConfig => "";

    private protected RespTestNode Node { get; set; } = null!;

    public virtual async Task InitializeAsync() => Node = await RespTestNode.StartAsync(Folder, RespConfig);

    public virtual async Task DisposeAsync()
    {
        foreach (var client in _clients) client.Dispose();
        _clients.Clear();
        await Node.DisposeAsync();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // The temp folder is best-effort: a store still closing must not fail the test.
        }
    }

    /// <summary>A connected multiplexer (it is closed at the end of the test).</summary>
    protected async Task<ConnectionMultiplexer> ConnectAsync(string? password = null, bool allowAdmin = false, TextWriter? log = null, bool failFast = false)
    {
        var multiplexer = await Node.ConnectAsync(password, allowAdmin, log, failFast);
        _clients.Add(multiplexer);
        return multiplexer;
    }

    protected async Task<IDatabase> DatabaseAsync(int db = 0) => (await ConnectAsync()).GetDatabase(db);

    /// <summary>Closes the multiplexers opened so far (before a node is stopped on purpose).</summary>
    protected void CloseClients()
    {
        foreach (var client in _clients) client.Dispose();
        _clients.Clear();
    }
}
