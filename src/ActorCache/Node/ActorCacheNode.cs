using Akka.Event;
using ActorCache.Keyspace;
using ActorCache.Protocol;
using ActorCache.Settings;
using ActorCache.Storage;
using Akka.Actor;

namespace ActorCache.Node;

/// <summary>Everything that can be chosen when starting a node; only tests need more than the defaults.</summary>
public sealed record CacheNodeOptions
{
    /// <summary>Settings; null reads them from the ActorSystem's configuration (over the embedded defaults).</summary>
    public CacheSettings? Settings { get; init; }

    /// <summary>The clock for expiries; tests pass a manual one.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Opens the disk store; null opens the configured backend in the configured folder.</summary>
    public Func<IDiskStore>? OpenStore { get; init; }

    /// <summary>Name of the node's entry actor under <c>/user</c>.</summary>
    public string ActorName { get; init; } = "actor-cache";
}

/// <summary>
/// A running node inside an ActorSystem. <see cref="Start"/> creates its actors; graceful shutdown of the system
/// (CoordinatedShutdown) flushes every dirty key to disk before the store is closed.
/// </summary>
public sealed partial class ActorCacheNode
{
    private readonly ActorSystem _system;
    private readonly object _stopLock = new();
    private Task? _stopping;

    private CacheSettings _settings;

    private ActorCacheNode(ActorSystem system, IActorRef entry, CacheSettings settings, MemoryBudget memory)
    {
        _system = system;
        Entry = entry;
        _settings = settings;
        Memory = memory;
    }

    /// <summary>The node's entry actor: send it <see cref="CacheRequest"/>, <see cref="FlushToDisk"/> or <see cref="GetKeyspaces"/>.</summary>
    public IActorRef Entry { get; }

    /// <summary>The settings the node runs with now (CONFIG SET may change some of them at run time).</summary>
    public CacheSettings Settings => Volatile.Read(ref _settings);

    /// <summary>The node's memory budget (cache-max-memory), shared by its keyspaces.</summary>
    internal MemoryBudget Memory { get; }

    /// <summary>Opens the store and starts the node's actors in <paramref name="system"/>.</summary>
    /// <exception cref="Exception">The store cannot be opened (missing permissions, held by another process, ...).</exception>
    public static ActorCacheNode Start(ActorSystem system, CacheNodeOptions? options = null)
    {
        options ??= new CacheNodeOptions();
        // The node's own defaults (the pinned dispatcher among them) must be visible to Akka in the caller's system.
        system.Settings.InjectTopLevelFallback(CacheSettings.DefaultConfig);
        var settings = options.Settings ?? CacheSettings.Create(system);
        // Akka starts its timer thread on first use and the caller waits for it. Done here, on the caller's thread,
        // rather than by sixteen keyspaces starting timers at once on a starved thread pool (seen to stall start-up
        // by seconds on two cores).
        system.Scheduler.Advanced.ScheduleOnce(TimeSpan.Zero, static () => { });
        // Opened here, on the caller's thread, so a store that cannot be opened fails the start with its own exception.
        var store = options.OpenStore?.Invoke() ?? DiskStoreFactory.Open(settings.Backend, settings.DataDirectory, syncWrites: settings.Durability == Durability.WriteThrough);
        system.Log.Info("ActorCache opened {0}", store.Description);
        var memory = new MemoryBudget(settings.CacheMaxMemory);
        var entry = system.ActorOf(CacheNodeActor.Props(settings, store, options.Clock, memory), options.ActorName);
        var node = new ActorCacheNode(system, entry, settings, memory);
        CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseServiceRequestsDone, "actor-cache-flush", async () =>
        {
            await node.StopAsync();
            return Akka.Done.Instance;
        });
        return node;
    }

    /// <summary>Returns once everything written before the call is on disk.</summary>
    /// <exception cref="TimeoutException">The disk did not take it all within <paramref name="timeout"/>.</exception>
    public async Task FlushAsync(TimeSpan timeout)
    {
        try
        {
            await Entry.Ask<FlushedToDisk>(FlushToDisk.Instance, timeout);
        }
        catch (AskTimeoutException)
        {
            throw new TimeoutException($"dirty keys did not all reach the disk within {timeout}");
        }
    }

    /// <summary>
    /// Stops the node: from now on requests are refused, everything accepted before is flushed to disk, then the
    /// actors stop and the store is closed. Later calls return the first call's task.
    /// </summary>
    public Task StopAsync()
    {
        lock (_stopLock)
        {
            return _stopping ??= StopOnceAsync();
        }
    }

    private async Task StopOnceAsync()
    {
        try
        {
            await Entry.Ask<FlushedToDisk>(PrepareToStop.Instance, Settings.ShutdownFlushTimeout);
        }
        catch (AskTimeoutException ex)
        {
            _system.Log.Error(ex, "Stopping with dirty keys not on disk: the flush took longer than {0}", Settings.ShutdownFlushTimeout);
        }

        await Entry.GracefulStop(Settings.ShutdownFlushTimeout);
    }
}
