using System.Buffers;
using Xunit;

namespace ActorCache.IntegrationTests.Crash;

/// <summary>
/// WAITDISK pipelined right behind a command that waits for a disk load: the command's reply comes first, then
/// WAITDISK's +OK, so the client holds both as "on disk", and a SIGKILL must not take the command's write away. The
/// save delay is an hour, so only the barrier can have saved it. Found by <see cref="CrashUnderLoadSpec"/> run with
/// <c>CRASH_SPEC_SERVER_ARGS="--set cache-max-memory=102400 --set cache-flush-delay=0ms"</c> (evicted pairs loaded back
/// by INCR, an acknowledged EXEC before a +OK WAITDISK missing after the kill).
/// </summary>
public sealed class WaitDiskBehindALoadSpec : IDisposable
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("actor-cache-waitdisk-").FullName;

    [Theory]
    [InlineData("rocksdb")]
    [InlineData("file")]
    public async Task A_write_waiting_for_a_load_before_a_pipelined_waitdisk_survives_sigkill(string backend)
    {
        var arguments = $"--backend {backend} --set cache-flush-delay=1h";
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using (var node = await CrashNode.StartAsync(_dataDirectory, arguments))
        {
            using var client = await RawRespClient.ConnectAsync(node.RespPort, timeout.Token);
            Assert.Equal(new RespSimple("OK"), await client.CallAsync(timeout.Token, "SET", "k", "1"));
            Assert.Equal(new RespSimple("OK"), await client.CallAsync(timeout.Token, "WAITDISK"));
            // Out of memory: the INCR below has to load k from disk.
            Assert.Equal(new RespSimple("OK"), await client.CallAsync(timeout.Token, "DEBUG", "FLUSHCACHE"));

            var pipeline = new ArrayBufferWriter<byte>();
            RawRespClient.Encode(pipeline, "INCR", "k");
            RawRespClient.Encode(pipeline, "WAITDISK");
            await client.SendAsync(pipeline.WrittenMemory, timeout.Token);
            Assert.Equal(new RespInteger(2), await client.ReadAsync(timeout.Token));
            Assert.Equal(new RespSimple("OK"), await client.ReadAsync(timeout.Token));
            await node.KillAsync();
        }

        using var restarted = await CrashNode.StartAsync(_dataDirectory, arguments);
        using var again = await RawRespClient.ConnectAsync(restarted.RespPort, timeout.Token);
        Assert.Equal(new RespBulk("2"), await again.CallAsync(timeout.Token, "GET", "k"));
        Assert.Equal(0, await restarted.TerminateAsync());
    }

    public void Dispose()
    {
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
