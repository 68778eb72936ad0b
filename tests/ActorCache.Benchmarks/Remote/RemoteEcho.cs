using System.Diagnostics;
using ActorCache.Protocol;
using Akka.Actor;
using Akka.Configuration;

namespace ActorCache.Benchmarks.Remote;

/// <summary>
/// The bare Akka.Remote echo of "remote": a second child process (this executable with the hidden subcommand
/// <see cref="Command"/>) runs an ActorSystem with the node's own remote settings (the akka section of
/// src/ActorCache.Server/server.conf, with the profile's overlay on top, as the node gets it) and one plain actor that
/// answers every <see cref="CacheRequest"/> at once; in the benchmark process, <see cref="EchoDriver"/> keeps W
/// requests in flight to it from one actor, matched by correlation id (no Ask, no task per request), as the remote
/// client's actor does. Both ends use the ActorCache wire format (<see cref="ProtocolSerializer"/>), so the echo pays
/// the same serialization as the client's requests.
/// </summary>
public static class RemoteEcho
{
    public const string Command = "remote-echo-server";

    public const string ListeningPrefix = "echo listening at ";

    /// <summary>The echo's answer: small, like the node's answer to an empty command.</summary>
    public static readonly RedisReply Reply = new SimpleStringReply("PONG");

    /// <summary>args: the server.conf to layer under the profile, and the profile's HOCON overlay (a file).</summary>
    public static async Task<int> RunServerAsync(string[] args)
    {
        if (args.Length != 2)
        {
            Console.Error.WriteLine($"usage: {Command} <server.conf> <overlay.conf>");
            return 2;
        }

        var config = ConfigurationFactory.ParseString("""
                akka.remote.dot-netty.tcp.port = 0
                akka.loglevel = WARNING
                akka.stdout-loglevel = WARNING
                akka.log-dead-letters = off
                """)
            .WithFallback(ConfigurationFactory.ParseString(await File.ReadAllTextAsync(args[1])))
            .WithFallback(ConfigurationFactory.ParseString(await File.ReadAllTextAsync(args[0])))
            .WithFallback(ProtocolSerializer.Configuration);
        using var system = ActorSystem.Create("echo", config);
        var echo = system.ActorOf(Props.Create(() => new EchoActor()), "echo");
        var address = ((ExtendedActorSystem)system).Provider.DefaultAddress;
        Console.WriteLine(ListeningPrefix + echo.Path.ToStringWithAddress(address));
        Console.Out.Flush();
        // The parent closes our stdin to stop us. The blocking read runs on its own thread: on a pool thread it would
        // take one of the few workers (2 on a 2-core machine) away from the actors for the whole run.
        await Task.Factory.StartNew(() =>
        {
            while (Console.In.ReadLine() is not null)
            {
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        await system.Terminate().WaitAsync(TimeSpan.FromSeconds(10));
        return 0;
    }

    /// <summary>Answers every request at once with <see cref="Reply"/> and the request's correlation id.</summary>
    private sealed class EchoActor : UntypedActor
    {
        protected override void OnReceive(object message)
        {
            if (message is CacheRequest request) Sender.Tell(new CacheReply(request.CorrelationId, Reply), Self);
            else Unhandled(message);
        }
    }
}

/// <summary>What the driver and the measuring code share: the phase and the latencies of the measured window.</summary>
public sealed class EchoRun(int inFlight)
{
    public int InFlight { get; } = inFlight;

    /// <summary>0 settle, 1 measure, 2 stop.</summary>
    public int Phase;

    public List<long> Latencies { get; } = new(1 << 16);

    public TaskCompletionSource Drained { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>Keeps <see cref="EchoRun.InFlight"/> requests in flight to the echo actor; slot i uses correlation id i.</summary>
public sealed class EchoDriver : UntypedActor
{
    private readonly IActorRef _echo;
    private readonly EchoRun _run;
    private readonly long[] _sentAt;
    private static readonly byte[][] NoArguments = [];
    private int _outstanding;

    public EchoDriver(IActorRef echo, EchoRun run)
    {
        _echo = echo;
        _run = run;
        _sentAt = new long[run.InFlight];
    }

    public static Props Props(IActorRef echo, EchoRun run) => Akka.Actor.Props.Create(() => new EchoDriver(echo, run));

    protected override void PreStart()
    {
        for (var slot = 0; slot < _run.InFlight; slot++) Send(slot);
    }

    protected override void OnReceive(object message)
    {
        if (message is not CacheReply reply)
        {
            Unhandled(message);
            return;
        }

        var slot = (int)reply.CorrelationId;
        var phase = Volatile.Read(ref _run.Phase);
        if (phase == 1) _run.Latencies.Add(Stopwatch.GetTimestamp() - _sentAt[slot]);
        if (phase != 2)
        {
            Send(slot);
            return;
        }

        if (--_outstanding == 0)
        {
            _run.Drained.TrySetResult();
            Context.Stop(Self);
        }
    }

    private void Send(int slot)
    {
        _sentAt[slot] = Stopwatch.GetTimestamp();
        _echo.Tell(new CacheRequest(slot, 0, NoArguments), Self);
        if (_outstanding < _run.InFlight) _outstanding++;
    }
}
