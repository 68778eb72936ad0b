using ActorCache.Client;
using Akka.Configuration;
using Xunit;
using Xunit.Abstractions;

namespace ActorCache.IntegrationTests.Process;

/// <summary>The real executable, killed and stopped under a client's load, keeps what it promised.</summary>
public sealed class ServerProcessSpec(ITestOutputHelper output)
    : Akka.TestKit.Xunit2.TestKit(ConfigurationFactory.ParseString("akka.loglevel = WARNING").WithFallback(CacheClientConfig.Remote()), output: output), IDisposable
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("actor-cache-process-").FullName;

    [Theory]
    [InlineData("rocksdb")]
    [InlineData("file")]
    public async Task Everything_flushed_before_a_sigkill_is_there_after_a_restart(string backend)
    {
        using (var server = await ServerProcess.StartAsync(_dataDirectory, $"--backend {backend} --set cache-flush-delay=1h"))
        {
            using var client = await CacheClient.ConnectAsync(Sys, await server.Address);
            await Task.WhenAll(Enumerable.Range(0, 200).Select(i => client.SetAsync($"k{i}", $"v{i}")));
            await client.FlushToDiskAsync();
            await server.KillAsync();
        }

        using var restarted = await ServerProcess.StartAsync(_dataDirectory, $"--backend {backend}");
        using var again = await CacheClient.ConnectAsync(Sys, await restarted.Address);
        var values = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => again.GetAsync($"k{i}")));
        Assert.Equal(Enumerable.Range(0, 200).Select(i => $"v{i}"), values);
        Assert.Equal(0, await restarted.TerminateAsync());
    }

    [Fact]
    public async Task Every_acknowledged_write_survives_a_sigterm_during_writes()
    {
        var acknowledged = new System.Collections.Concurrent.ConcurrentDictionary<string, string>();
        using (var server = await ServerProcess.StartAsync(_dataDirectory, "--set cache-flush-delay=1h"))
        {
            using var client = await CacheClient.ConnectAsync(Sys, await server.Address, new CacheClientOptions { RequestTimeout = TimeSpan.FromSeconds(5) });
            using var writing = new CancellationTokenSource();
            var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
            {
                for (var i = 0; !writing.IsCancellationRequested; i++)
                {
                    var key = $"w{w}:{i % 50}";
                    try
                    {
                        if (await client.SetAsync(key, $"{i}")) acknowledged[key] = $"{i}";
                    }
                    catch (Exception ex) when (ex is CacheUnavailableException or CacheException)
                    {
                        return;
                    }
                }
            })).ToArray();
            await AwaitConditionAsync(() => Task.FromResult(acknowledged.Count >= 200), TimeSpan.FromSeconds(60));

            var exit = server.TerminateAsync();
            Assert.Equal(0, await exit);
            writing.Cancel();
            await Task.WhenAll(writers);
        }

        using var restarted = await ServerProcess.StartAsync(_dataDirectory);
        using var again = await CacheClient.ConnectAsync(Sys, await restarted.Address);
        foreach (var (key, value) in acknowledged)
        {
            var stored = await again.GetAsync(key);
            Assert.NotNull(stored);
            Assert.True(long.Parse(stored!, System.Globalization.CultureInfo.InvariantCulture) >= long.Parse(value, System.Globalization.CultureInfo.InvariantCulture), $"{key}: acknowledged {value}, stored {stored}");
        }

        await restarted.TerminateAsync();
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing) return;
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS temp cleaner.
        }
    }
}
