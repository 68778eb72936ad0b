using System.Diagnostics;
using System.Text.RegularExpressions;

namespace ActorCache.IntegrationTests.Process;

/// <summary>
/// The real node executable as a child process (the ActorCache.Server build that sits next to the tests), on a free
/// port and a data folder of the spec's. It reads the address the node prints, and can be stopped with SIGTERM or
/// killed with SIGKILL.
/// </summary>
public sealed partial class ServerProcess : IDisposable
{
    private readonly System.Diagnostics.Process _process;
    private readonly TaskCompletionSource<string> _address = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServerProcess(string dataDirectory, string extraArguments)
    {
        var server = Path.Combine(AppContext.BaseDirectory, "ActorCache.Server.dll");
        var start = new ProcessStartInfo("dotnet", $"\"{server}\" --data-dir \"{dataDirectory}\" --port 0 {extraArguments}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = System.Diagnostics.Process.Start(start) ?? throw new InvalidOperationException("the server did not start");
        _process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is not null && AddressLine().Match(line.Data) is { Success: true } match) _address.TrySetResult(match.Groups[1].Value);
        };
        _process.ErrorDataReceived += (_, _) => { };
        _process.Exited += (_, _) => _address.TrySetException(new InvalidOperationException($"the server exited with {_process.ExitCode} before listening"));
        _process.EnableRaisingEvents = true;
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The node's address, e.g. akka.tcp://actor-cache@127.0.0.1:40123.</summary>
    public Task<string> Address => _address.Task;

    public static async Task<ServerProcess> StartAsync(string dataDirectory, string extraArguments = "")
    {
        var server = new ServerProcess(dataDirectory, extraArguments);
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

    [GeneratedRegex(@"listening at (akka\.tcp://actor-cache@[^/\s]+)")]
    private static partial Regex AddressLine();
}
