using ActorCache.Client;
using Akka.Actor;

namespace ActorCache.Benchmarks.InProc;

/// <summary>A load that runs until stopped; the harness reads <see cref="Completed"/> at the edges of its windows.</summary>
public abstract class Load
{
    public abstract long Completed { get; }

    public abstract void Start();

    /// <summary>Stops issuing requests and returns when every request in flight has been answered.</summary>
    public abstract Task StopAsync();
}

/// <summary>The bare pair: one <see cref="Pinger"/> with <c>window</c> requests in flight to a shared echo.</summary>
public sealed class BarePairLoad(ActorSystem system, IActorRef echo, int window) : Load
{
    private readonly PingerControl _control = new();
    private IActorRef? _pinger;

    public override long Completed => _control.Completed;

    public override void Start() => _pinger = system.ActorOf(Pinger.Props(echo, window, _control));

    public override async Task StopAsync()
    {
        _control.Stop();
        await _control.Drained.Task;
        system.Stop(_pinger!);
    }
}

/// <summary>GETs from a <see cref="KeyspacePinger"/> straight to the keyspace of database 0, W in flight.</summary>
public sealed class KeyspaceDirectLoad(ActorSystem system, IActorRef keyspace, byte[][] keys, int window) : Load
{
    private readonly PingerControl _control = new();
    private IActorRef? _pinger;

    public override long Completed => _control.Completed;

    public override void Start() => _pinger = system.ActorOf(KeyspacePinger.Props(keyspace, keys, window, _control));

    public override async Task StopAsync()
    {
        _control.Stop();
        await _control.Drained.Task;
        system.Stop(_pinger!);
    }
}

/// <summary>
/// <c>concurrency</c> async loops, each awaiting one operation at a time. Each loop counts in its own cache line,
/// so counting costs no contention.
/// </summary>
public abstract class LoopLoad(int concurrency) : Load
{
    private const int Stride = 16; // 128 bytes between counters: no false sharing
    private readonly long[] _counts = new long[concurrency * Stride];
    private Task[] _loops = [];
    private volatile bool _stopping;

    public override long Completed
    {
        get
        {
            long sum = 0;
            for (var i = 0; i < concurrency; i++) sum += Volatile.Read(ref _counts[i * Stride]);
            return sum;
        }
    }

    public override void Start() =>
        _loops = Enumerable.Range(0, concurrency).Select(i => Task.Run(() => LoopAsync(i))).ToArray();

    public override Task StopAsync()
    {
        _stopping = true;
        return Task.WhenAll(_loops);
    }

    /// <summary>One operation of loop <paramref name="loop"/>; <paramref name="sequence"/> counts that loop's operations.</summary>
    protected abstract Task OperationAsync(int loop, long sequence);

    private async Task LoopAsync(int loop)
    {
        long done = 0;
        while (!_stopping)
        {
            await OperationAsync(loop, done).ConfigureAwait(false);
            Volatile.Write(ref _counts[loop * Stride], ++done);
        }
    }
}

/// <summary>Plain <c>Ask</c> (no timeout) against the echo.</summary>
public sealed class AskLoad(IActorRef echo, int concurrency) : LoopLoad(concurrency)
{
    protected override async Task OperationAsync(int loop, long sequence)
    {
        var id = (sequence << 11) | (uint)loop;
        var pong = await echo.Ask<Pong>(new Ping(id)).ConfigureAwait(false);
        if (pong.Id != id) throw new InvalidOperationException("Ask got the wrong reply");
    }
}

/// <summary>GET of keys that are in memory, through the embedded client.</summary>
public sealed class ClientGetLoad(ICacheClient client, byte[][] keys, int concurrency) : LoopLoad(concurrency)
{
    protected override async Task OperationAsync(int loop, long sequence)
    {
        var key = keys[(int)((loop * 7919L + sequence) % keys.Length)];
        var value = await client.GetAsync(key).ConfigureAwait(false);
        if (value is null) throw new InvalidOperationException("a GET of a preloaded key missed");
    }
}

/// <summary>SET of the same keys (same value size, so GETs stay hits), through the embedded client.</summary>
public sealed class ClientSetLoad(ICacheClient client, byte[][] keys, byte[] value, int concurrency) : LoopLoad(concurrency)
{
    protected override async Task OperationAsync(int loop, long sequence)
    {
        var key = keys[(int)((loop * 7919L + sequence) % keys.Length)];
        if (!await client.SetAsync(key, value).ConfigureAwait(false)) throw new InvalidOperationException("SET was refused");
    }
}
