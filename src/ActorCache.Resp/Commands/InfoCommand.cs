using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using ActorCache.Keyspace;
using ActorCache.Protocol;

namespace ActorCache.Resp.Commands;

/// <summary>
/// INFO [section ...]: Redis's text report, with the sections server, clients, memory, persistence (snapshots), stats,
/// keyspace and diskstore (the seed's cache figures: IO queue, jobs, blocked clients, plus dirty keys, the negative cache
/// and the longest eviction slice). "all",
/// "everything" and "default" (or no argument) give every section.
/// </summary>
internal static class InfoCommand
{
    private static readonly string[] Sections = ["server", "clients", "memory", "persistence", "stats", "keyspace", "diskstore"];

    public static async ValueTask<FrontEndReply> Run(RespConnection connection, byte[][] arguments)
    {
        var asked = arguments.Skip(1).Select(a => Encoding.UTF8.GetString(a).ToLowerInvariant()).ToHashSet();
        var all = asked.Count == 0 || asked.Overlaps(["all", "everything", "default"]);
        var server = connection.Server;
        var stats = await server.Node.StatsAsync();
        var snapshot = all || asked.Contains("persistence") ? await server.Node.SnapshotStatusAsync() : null;
        var text = new StringBuilder();
        foreach (var section in Sections.Where(s => all || asked.Contains(s)))
        {
            if (text.Length > 0) text.Append("\r\n");
            text.Append("# ").Append(char.ToUpperInvariant(section[0])).Append(section[1..]).Append("\r\n");
            var fields = section switch
            {
                "server" => ServerSection(server),
                "clients" => ClientsSection(server, stats),
                "memory" => MemorySection(server, stats),
                "persistence" => PersistenceSection(server, stats, snapshot!),
                "stats" => StatsSection(server, stats),
                "keyspace" => KeyspaceSection(stats),
                _ => DiskstoreSection(server, stats),
            };
            foreach (var (name, value) in fields) text.Append(name).Append(':').Append(value).Append("\r\n");
        }

        return new FrontEndReply(RedisReply.Bulk(text.ToString()));
    }

    private static IEnumerable<(string, object)> ServerSection(RespServer server)
    {
        var uptime = DateTimeOffset.UtcNow - server.Statistics.StartedAt;
        yield return ("redis_version", ServerIdentity.RedisVersion);
        yield return ("actor_cache_version", ServerIdentity.Version);
        yield return ("redis_mode", "standalone");
        yield return ("os", RuntimeInformation.OSDescription);
        yield return ("arch_bits", IntPtr.Size * 8);
        yield return ("runtime", RuntimeInformation.FrameworkDescription);
        yield return ("process_id", Environment.ProcessId);
        yield return ("tcp_port", server.EndPoint.Port);
        yield return ("uptime_in_seconds", (long)uptime.TotalSeconds);
        yield return ("uptime_in_days", (long)uptime.TotalDays);
        yield return ("backend", server.Node.Settings.Backend);
        yield return ("databases", server.Node.Settings.Databases);
    }

    private static IEnumerable<(string, object)> ClientsSection(RespServer server, KeyspaceStats[] stats)
    {
        yield return ("connected_clients", server.Connections.Count);
        yield return ("maxclients", server.Settings.MaxClients);
        yield return ("blocked_clients", stats.Sum(s => s.ParkedRequests));
    }

    // used_memory is the node's estimate of its keys, values and entry overhead, the figure cache-max-memory bounds.
    private static IEnumerable<(string, object)> MemorySection(RespServer server, KeyspaceStats[] stats)
    {
        var used = stats.Sum(s => s.UsedMemory);
        using var process = Process.GetCurrentProcess();
        yield return ("used_memory", used);
        yield return ("used_memory_human", Human(used));
        yield return ("used_memory_rss", process.WorkingSet64);
        yield return ("used_memory_rss_human", Human(process.WorkingSet64));
        yield return ("maxmemory", server.Node.Settings.CacheMaxMemory);
        yield return ("maxmemory_policy", "allkeys-lru");
    }

    /// <summary>Redis's names for the snapshot figures (an RDB save there, a snapshot folder here), plus durability.</summary>
    private static IEnumerable<(string, object)> PersistenceSection(RespServer server, KeyspaceStats[] stats, Node.SnapshotStatus snapshot)
    {
        yield return ("loading", 0);
        yield return ("rdb_changes_since_last_save", stats.Sum(s => (long)s.DirtyKeys));
        yield return ("rdb_bgsave_in_progress", snapshot.InProgress ? 1 : 0);
        yield return ("rdb_last_save_time", snapshot.LastSave.ToUnixTimeSeconds());
        yield return ("rdb_last_bgsave_status", snapshot.LastError is null ? "ok" : "err");
        yield return ("snapshot_last_dir", snapshot.LastDirectory ?? "");
        yield return ("snapshot_last_error", snapshot.LastError ?? "");
        yield return ("aof_enabled", 0);
        yield return ("durability", server.Node.Settings.Durability == ActorCache.Settings.Durability.WriteThrough ? "write-through" : "write-behind");
    }

    private static IEnumerable<(string, object)> StatsSection(RespServer server, KeyspaceStats[] stats)
    {
        yield return ("total_connections_received", server.Statistics.ConnectionsReceived);
        yield return ("total_commands_processed", server.Statistics.CommandsProcessed);
        yield return ("rejected_connections", server.Statistics.ConnectionsRejected);
        // Per key a command needed, on arrival: in memory = hit, otherwise a miss (from the negative cache or a load).
        yield return ("keyspace_hits", stats.Sum(s => s.Hits));
        yield return ("keyspace_misses", stats.Sum(s => s.Misses));
        yield return ("negative_cache_hits", stats.Sum(s => s.NegativeCacheHits));
        yield return ("evicted_keys", stats.Sum(s => s.EvictedKeys));
        yield return ("disk_loads", stats.Sum(s => s.DiskLoads));
        yield return ("disk_saves", stats.Sum(s => s.SavesCompleted));
        yield return ("disk_save_failures", stats.Sum(s => s.SaveFailures));
    }

    /// <summary>Per database with keys in memory: keys and keys with an expiry, in memory (DBSIZE counts the disk too).</summary>
    private static IEnumerable<(string, object)> KeyspaceSection(KeyspaceStats[] stats)
    {
        for (var db = 0; db < stats.Length; db++)
        {
            var s = stats[db];
            if (s.KeysInMemory == 0 && s.DirtyKeys == 0) continue;
            yield return ($"db{db}", $"keys={s.KeysInMemory},expires={s.KeysWithExpiry},avg_ttl=0,dirty={s.DirtyKeys}");
        }
    }

    private static IEnumerable<(string, object)> DiskstoreSection(RespServer server, KeyspaceStats[] stats)
    {
        var queued = stats.Sum(s => s.QueuedLoads + s.QueuedSaves);
        yield return ("ds_enabled", 1);
        yield return ("cache_max_memory", server.Node.Settings.CacheMaxMemory);
        yield return ("cache_flush_delay_ms", (long)server.Node.Settings.CacheFlushDelay.TotalMilliseconds);
        yield return ("cache_blocked_clients", stats.Sum(s => s.ParkedRequests));
        yield return ("cache_io_queue_len", queued);
        yield return ("cache_io_jobs_new", queued);
        yield return ("cache_io_jobs_processing", stats.Sum(s => s.JobsInFlight));
        yield return ("cache_io_jobs_processed", stats.Sum(s => s.DiskLoads + s.SavesCompleted));
        yield return ("cache_dirty_keys", stats.Sum(s => s.DirtyKeys));
        yield return ("cache_negative_entries", stats.Sum(s => s.NegativeCacheEntries));
        yield return ("cache_save_failures", stats.Sum(s => s.SaveFailures));
        // The longest any keyspace stopped serving to evict (one slice of eviction work), since the node started.
        yield return ("eviction_longest_slice_us", stats.Max(s => s.LongestEvictionSliceMicros));
        yield return ("eviction_longest_slice_without_gc_us", stats.Max(s => s.LongestEvictionSliceWithoutGcMicros));
        // Per database with IO state, so a stuck database stands out; idle ones are left out as in the keyspace section.
        for (var db = 0; db < stats.Length; db++)
        {
            var s = stats[db];
            var ioQueue = s.QueuedLoads + s.QueuedSaves;
            if (s.DirtyKeys == 0 && ioQueue == 0 && s.JobsInFlight == 0 && s.ParkedRequests == 0 && s.NegativeCacheEntries == 0) continue;
            yield return ($"db{db}", $"dirty={s.DirtyKeys},io_queue={ioQueue},in_flight={s.JobsInFlight},parked={s.ParkedRequests},negative={s.NegativeCacheEntries}");
        }
    }

    private static string Human(long bytes) => bytes switch
    {
        >= 1L << 30 => (bytes / (double)(1L << 30)).ToString("0.00", CultureInfo.InvariantCulture) + "G",
        >= 1L << 20 => (bytes / (double)(1L << 20)).ToString("0.00", CultureInfo.InvariantCulture) + "M",
        >= 1L << 10 => (bytes / (double)(1L << 10)).ToString("0.00", CultureInfo.InvariantCulture) + "K",
        _ => bytes + "B",
    };
}
