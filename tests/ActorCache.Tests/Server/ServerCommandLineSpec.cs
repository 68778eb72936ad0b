using ActorCache.Server;
using Xunit;

namespace ActorCache.Tests.Server;

public sealed class ServerCommandLineSpec : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("actor-cache-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Defaults_bind_to_loopback_on_4055_with_a_16_MiB_frame()
    {
        var launch = ServerCommandLine.Parse([]);
        Assert.Null(launch.Error);
        var tcp = launch.Config!.GetConfig("akka.remote.dot-netty.tcp");
        Assert.Equal("127.0.0.1", tcp.GetString("hostname"));
        Assert.Equal(4055, tcp.GetInt("port"));
        Assert.Equal(16L * 1024 * 1024, tcp.GetByteSize("maximum-frame-size"));
        Assert.Equal("rocksdb", launch.Settings!.Backend);
        Assert.True(Path.IsPathFullyQualified(launch.Settings.DataDirectory));
    }

    [Fact]
    public void Flags_and_set_override_the_config_file()
    {
        var file = Path.Combine(_folder, "node.conf");
        File.WriteAllText(file, "actor-cache { backend = file, cache-flush-delay = 5 s, databases = 4 }\nakka.remote.dot-netty.tcp.port = 1234");
        var launch = ServerCommandLine.Parse(["--config", file, "--backend", "rocksdb", "--port", "0", "--set", "cache-flush-delay=200ms",
            "--set", "akka.remote.dot-netty.tcp.maximum-frame-size=32MiB", "--data-dir", _folder]);
        Assert.Null(launch.Error);
        Assert.Equal("rocksdb", launch.Settings!.Backend);
        Assert.Equal(TimeSpan.FromMilliseconds(200), launch.Settings.CacheFlushDelay);
        Assert.Equal(4, launch.Settings.Databases);
        Assert.Equal(_folder, launch.Settings.DataDirectory);
        Assert.Equal(0, launch.Config!.GetInt("akka.remote.dot-netty.tcp.port"));
        Assert.Equal(32L * 1024 * 1024, launch.Config.GetByteSize("akka.remote.dot-netty.tcp.maximum-frame-size"));
    }

    [Theory]
    [InlineData("--set", "nonsense")]
    [InlineData("--set", "no-such-setting=1")]
    [InlineData("--set", "databases=0")]
    [InlineData("--config", "/nonexistent/node.conf")]
    [InlineData("--port", "abc")]
    [InlineData("--backend", "tape")]
    [InlineData("--bogus", "x")]
    [InlineData("--restore", "/nonexistent/snapshot")]
    [InlineData("--restore", " ")]
    public void Bad_options_give_one_line_errors(string option, string value)
    {
        var launch = ServerCommandLine.Parse([option, value]);
        Assert.NotNull(launch.Error);
        Assert.DoesNotContain('\n', launch.Error);
        Assert.Null(launch.Config);
    }

    [Fact]
    public void A_second_lock_on_a_data_folder_is_refused_and_released_on_dispose()
    {
        using (var first = DataDirectoryLock.TryAcquire(_folder, out _))
        {
            Assert.NotNull(first);
            Assert.Null(DataDirectoryLock.TryAcquire(_folder, out var error));
            Assert.Contains("in use", error);
        }

        using var again = DataDirectoryLock.TryAcquire(_folder, out _);
        Assert.NotNull(again);
    }

    [Fact]
    public void Restore_names_the_snapshot_folder_by_its_full_path()
    {
        var snapshot = Directory.CreateDirectory(Path.Combine(_folder, "snapshot")).FullName;

        var launch = ServerCommandLine.Parse(["--restore", snapshot, "--backend", "file"]);

        Assert.Null(launch.Error);
        Assert.Equal(snapshot, launch.RestoreFrom);
        Assert.Equal("file", launch.Settings!.Backend);
    }

    [Fact]
    public void Restore_from_a_missing_folder_says_which_folder()
    {
        var missing = Path.Combine(_folder, "no-such-snapshot");

        var launch = ServerCommandLine.Parse(["--restore", missing]);

        Assert.Equal($"--restore folder {missing} does not exist", launch.Error);
    }

    [Fact]
    public void Without_restore_the_store_is_kept()
    {
        Assert.Null(ServerCommandLine.Parse([]).RestoreFrom);
    }

    [Fact]
    public void Help_describes_restore()
    {
        var restore = ServerCommandLine.CreateCommand().Options.Single(o => o.Name == "--restore");

        Assert.Contains("snapshot", restore.Description, StringComparison.Ordinal);
        Assert.Equal("DIR", restore.HelpName);
    }
}
