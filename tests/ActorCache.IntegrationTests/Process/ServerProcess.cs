using System.Diagnostics;
using System.Text.RegularExpressions;

namespace ActorCache.IntegrationTests.Process;

/// <summary>
/// The real node executable as a child process (the ActorCache.Server build that sits next to the tests), on a free
/// port and a data folder of the spec's. It reads the address the node prints, and can be stopped with SIGTERM or
/// killed with SIGKILL. Extra environment variables (e.g. SSL_CERT_FILE for a TLS node's trust store) can be given.
/// </summary>
public sealed partial class ServerProcess : IDisposable
{
    private readonly System.Diagnostics.Process _process;
    private readonly TaskCompletionSource<string> _address = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _errors = new();

    private ServerProcess(string dataDirectory, string extraArguments, IReadOnlyDictionary<string, string>? environment)
    {
        var server = Path.Combine(AppContext.BaseDirectory, "ActorCache.Server.dll");
        // No RESP server unless a spec asks for one: the default port (6379) is shared by every node started at once.
        var resp = extraArguments.Contains("--resp-port", StringComparison.Ordinal) ? "" : "--resp-port off ";
        var start = new ProcessStartInfo("dotnet", $"\"{server}\" --data-dir \"{dataDirectory}\" --port 0 {resp}{extraArguments}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        _process = System.Diagnostics.Process.Start(start) ?? throw new InvalidOperationException("the server did not start");
        _process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is not null && AddressLine().Match(line.Data) is { Success: true } match) _address.TrySetResult(match.Groups[1].Value);
        };
        _process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is null) return;
            _errors.Enqueue(line.Data);
            if (_errors.Count > 200) _errors.TryDequeue(out var _);
        };
        _process.Exited += (_, _) => _address.TrySetException(new InvalidOperationException($"the server exited with {_process.ExitCode} before listening: {StandardError}"));
        _process.EnableRaisingEvents = true;
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The node's address, e.g. akka.tcp://actor-cache@127.0.0.1:40123 (akka.ssl.tcp:// with TLS on).</summary>
    public Task<string> Address => _address.Task;

    /// <summary>The last lines the node wrote to stderr (its log), for failure messages.</summary>
    public string StandardError => string.Join(Environment.NewLine, _errors);

    public static async Task<ServerProcess> StartAsync(string dataDirectory, string extraArguments = "", IReadOnlyDictionary<string, string>? environment = null)
    {
        var server = new ServerProcess(dataDirectory, extraArguments, environment);
        await server.Address.WaitAsync(TimeSpan.FromSeconds(60));
        return server;
    }

    /// <summary>SIGTERM, as a service manager stops a node; returns the exit code.</summary>
    public async Task<int> TerminateAsync()
    {
        using (var kill = System.Diagnostics.Process.Start("kill", $"-TERM {_process.Id}")) await kill.WaitForExitAsync();
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    [GeneratedRegex(@"listening at (akka(?:\.ssl)?\.tcp://actor-cache@[^/\s]+)")]
    private static partial Regex AddressLine();
}
