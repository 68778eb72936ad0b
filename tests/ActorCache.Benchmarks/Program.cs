using ActorCache.Benchmarks.Coalesce;
using ActorCache.Benchmarks.Harness;
using ActorCache.Benchmarks.InProc;
using ActorCache.Benchmarks.LargerThanMemory;
using ActorCache.Benchmarks.Remote;
using ActorCache.Benchmarks.Startup;

namespace ActorCache.Benchmarks;

/// <summary>Entry point: one subcommand per benchmark (see README.md).</summary>
public static class Program
{
    private const string Usage = """
        usage: ActorCache.Benchmarks <command> [options]

          inproc     bare actor pair, Ask, an actor client straight to the keyspace (direct), the client against a
                     do-nothing actor (echo), and ActorCache's embedded client (GET hits, SET), each at W = 1, 64,
                     1024, interleaved in one run
                       --concurrency 1,64,1024  --kinds bare,ask,direct,echo,get,set  --passes 3  --windows 3
                       --window 0.5  --settle 0.3  --warmup 0.5  --store rocksdb|memory  --keys 10000  --value-size 100
          coalesce   1,000,000 SETs over 10,000 keys with cache-flush-delay 1 s on RocksDB; counts disk writes
                       --sets 1000000  --keys 10000  --concurrency 64  --runs 3  --flush-delay 1s  --value-size 100
          startup    time from process start to the first GET of a disk-only key, in child processes, on a
                     1,000,000-key folder and an empty one
                       --dir <folder>  --keys 1000000  --value-size 100  --runs 5
          remote     client (this process), ActorCache.Server and a bare echo process (both children) over Akka.Remote
                     on 127.0.0.1: a bare actor-to-actor echo (reference), an empty command, GET hits and SETs through
                     the remote CacheClient, at W = 1, 100, 1000, for each remote settings profile, in rotating passes;
                     ops/s, p50, p99, ratios to the echo and to the first profile
                       --concurrency 1,100,1000  --kinds echo,empty,get,set  --profiles akka,shipped  --passes 3
                       --measure 2s  --settle 0.5s  --keys 10000  --value-size 100
                       --server <path to ActorCache.Server>  --server-conf <its server.conf>
                     profiles: akka (Akka.NET's defaults), shipped (server.conf + CacheClientConfig as they are),
                       nobatch, writes256, io1, tput100, remote-dedicated (see Remote/RemoteProfiles.cs)
          memory     larger-than-memory RESP load against ActorCache.Server and Garnet (storage tier on): load, uniform
                     and Zipfian 90/10 GET/SET, write-heavy; ops/s, hit ratio, p50/p99/p99.9, peak used_memory and RSS
                       --keys 2000000  --value-size 100  --connections 32  --depth 4  --load-depth 16  --duration 20s
                       --max-memory 64MiB  --targets actorcache,garnet  --zipf 0.99  --load-limit 600s
        """;

    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            Console.WriteLine(Usage);
            return args.Length == 0 ? 1 : 0;
        }

        if (args[0] == RemoteEcho.Command)
        {
            // Hidden: the echo process of "remote".
            return await RemoteEcho.RunServerAsync(args.Skip(1).ToArray());
        }

        if (args[0] == StartupProbe.Command)
        {
            // Hidden: the child process of "startup". Nothing else runs before it, so its clock starts clean.
            return await StartupProbe.RunAsync(args.Skip(1).ToArray());
        }

        var options = Options.Parse(args.Skip(1));
        switch (args[0])
        {
            case "inproc":
                await InProcBenchmark.RunAsync(options);
                return 0;
            case "coalesce":
                await CoalesceBenchmark.RunAsync(options);
                return 0;
            case "startup":
                await StartupBenchmark.RunAsync(options);
                return 0;
            case "memory":
                await MemoryBenchmark.RunAsync(options);
                return 0;
            case "remote":
                await RemoteBenchmark.RunAsync(options);
                return 0;
            default:
                Console.Error.WriteLine($"unknown command \"{args[0]}\"");
                Console.Error.WriteLine(Usage);
                return 1;
        }
    }
}
