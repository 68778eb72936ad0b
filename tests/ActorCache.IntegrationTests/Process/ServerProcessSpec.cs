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

    [Theory]
    [InlineData("rocksdb")]
    [InlineData("file")]
    public async Task Five_sigkill_cycles_keep_everything_flushed_in_each(string backend)
    {
        // What the data folder must hold after each flushed cycle: live keys with their latest value, and deleted keys.
        var expected = new Dictionary<string, string>();
        var deleted = new HashSet<string>();
        var options = new CacheClientOptions { RequestTimeout = TimeSpan.FromSeconds(10) };
        for (var cycle = 0; cycle < 5; cycle++)
        {
            using var server = await ServerProcess.StartAsync(_dataDirectory, $"--backend {backend} --set cache-flush-delay=1h");
            using var client = await CacheClient.ConnectAsync(Sys, await server.Address, options);
            await AssertHoldsAsync(client, expected, deleted, $"start of cycle {cycle}");

            // Deterministic choice of older keys to overwrite, delete and bring back, different in every cycle.
            var random = new Random(7919 * (cycle + 1));
            var older = expected.Keys.Order(StringComparer.Ordinal).ToList();
            var overwritten = older.OrderBy(_ => random.Next()).Take(20).ToList();
            var removed = older.Except(overwritten).OrderBy(_ => random.Next()).Take(10).ToList();
            var revived = deleted.Order(StringComparer.Ordinal).OrderBy(_ => random.Next()).Take(5).ToList();
            var written = Enumerable.Range(0, 100).Select(i => $"c{cycle}:k{i}").Concat(overwritten).Concat(revived).ToList();

            await Task.WhenAll(written.Select(key => client.SetAsync(key, $"{key}@{cycle}")));
            if (removed.Count > 0) Assert.Equal(removed.Count, await client.DeleteAsync([.. removed]));
            // One key is set and deleted within the cycle, before any save of it: it must not appear after the crash.
            var shortLived = $"c{cycle}:short-lived";
            Assert.True(await client.SetAsync(shortLived, "gone"));
            Assert.Equal(1, await client.DeleteAsync(shortLived));
            await client.FlushToDiskAsync();

            foreach (var key in written)
            {
                expected[key] = $"{key}@{cycle}";
                deleted.Remove(key);
            }

            foreach (var key in removed.Append(shortLived))
            {
                expected.Remove(key);
                deleted.Add(key);
            }

            await server.KillAsync();
        }

        using var last = await ServerProcess.StartAsync(_dataDirectory, $"--backend {backend}");
        using var again = await CacheClient.ConnectAsync(Sys, await last.Address, options);
        await AssertHoldsAsync(again, expected, deleted, "the end");
        Assert.Equal(0, await last.TerminateAsync());
    }

    /// <summary>Every live key has its latest value, every deleted key is absent, and nothing else is there.</summary>
    private static async Task AssertHoldsAsync(ICacheClient client, Dictionary<string, string> expected, HashSet<string> deleted, string when)
    {
        var live = expected.ToList();
        var values = await Task.WhenAll(live.Select(pair => client.GetAsync(pair.Key)));
        var wrong = live.Zip(values).Where(x => x.First.Value != x.Second).Select(x => $"{x.First.Key}={x.Second ?? "(nil)"}, expected {x.First.Value}").ToList();
        Assert.True(wrong.Count == 0, $"at {when}: {wrong.Count} wrong values, e.g. {string.Join("; ", wrong.Take(5))}");

        var gone = deleted.ToList();
        var resurrected = (await Task.WhenAll(gone.Select(key => client.GetAsync(key)))).Zip(gone).Where(x => x.First is not null).Select(x => x.Second).ToList();
        Assert.True(resurrected.Count == 0, $"at {when}: deleted keys are back: {string.Join(", ", resurrected.Take(5))}");
        Assert.Equal(expected.Count, await client.DatabaseSizeAsync());
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
