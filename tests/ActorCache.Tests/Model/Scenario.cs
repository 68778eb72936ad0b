namespace ActorCache.Tests.Model;

/// <summary>One step of a model-based run.</summary>
internal abstract record Step;

/// <summary>A command sent on its own: its reply is awaited before the next step.</summary>
internal sealed record Command(string[] Args) : Step
{
    public override string ToString() => string.Join(' ', Args.Select(Show));

    private static string Show(string argument) =>
        argument.Length == 0 || argument.Any(c => c is ' ' or '"' || char.IsControl(c)) ? "\"" + argument.Replace("\"", "\\\"") + "\"" : argument;
}

/// <summary>Commands sent back to back without awaiting, then awaited in send order (a pipeline).</summary>
internal sealed record Batch(Command[] Commands) : Step
{
    public override string ToString() => "PIPELINE [ " + string.Join(" | ", Commands.Select(c => c.ToString())) + " ]";
}

/// <summary>A full SCAN iteration (cursor 0 until 0 comes back) with the given COUNT, compared as a set.</summary>
internal sealed record FullScan(int Count) : Step
{
    public override string ToString() => $"SCAN 0.. COUNT {Count} (full iteration)";
}

/// <summary>Moves the shared manual clock forward.</summary>
internal sealed record AdvanceClock(long Milliseconds) : Step
{
    public override string ToString() => $"(clock +{Milliseconds} ms)";
}

/// <summary>Graceful stop of the node (flushes every dirty key), then a new node on the same store.</summary>
internal sealed record Restart : Step
{
    public override string ToString() => "(restart: StopAsync, new node on the same store)";
}

/// <summary>The node settings a scenario runs with (the rest are the embedded defaults).</summary>
internal sealed record NodeKnobs(int FlushDelayMs, int MaxInFlight, int LoadBatchSize, int SaveBatchSize, int NegativeCacheMaxEntries)
{
    public static readonly NodeKnobs Defaults = new(0, 256, 64, 128, 100_000);

    public override string ToString() =>
        $"cache-flush-delay {FlushDelayMs} ms, max-in-flight {MaxInFlight}, load-batch-size {LoadBatchSize}, save-batch-size {SaveBatchSize}, negative-cache-max-entries {NegativeCacheMaxEntries}";
}

/// <summary>A generated run: the node's settings and the steps.</summary>
internal sealed record Scenario(int Seed, NodeKnobs Knobs, IReadOnlyList<Step> Steps)
{
    public int CommandCount => Steps.Sum(s => s switch { Command => 1, Batch b => b.Commands.Length, FullScan => 1, _ => 0 });

    public string Describe()
    {
        var lines = new List<string> { $"seed {Seed}; {Knobs}; {Steps.Count} steps:" };
        for (var i = 0; i < Steps.Count; i++) lines.Add($"  {i,3}: {Steps[i]}");
        return string.Join(Environment.NewLine, lines);
    }
}

/// <summary>What the generator may produce.</summary>
/// <param name="Steps">Steps per scenario.</param>
/// <param name="WholeDatabaseInPipelines">Whether DBSIZE and KEYS may be pipelined with other commands.</param>
/// <param name="FlushDbInPipelines">Whether FLUSHDB may be pipelined with other commands.</param>
/// <param name="MultiKeyInPipelines">Whether commands on several keys (DEL, EXISTS, MGET, MSET, RENAME) may be pipelined.</param>
internal sealed record GeneratorOptions(int Steps, bool WholeDatabaseInPipelines = true, bool FlushDbInPipelines = true, bool MultiKeyInPipelines = true);

/// <summary>
/// Random scenarios over six keys (an empty and a non-ASCII one among them), values chosen so that INCR meets
/// integers, near-overflow numbers and non-integers, and TTLs and clock steps of the same magnitudes so that keys
/// expire in memory, on disk after a restart, and exactly at their deadline.
/// </summary>
internal static class ScenarioGenerator
{
    public static readonly string[] Keys = ["a", "b", "c", "key:1", "ü", ""];

    private static readonly string[] Values =
        ["1", "2", "-3", "10", "0", "42", "9223372036854775806", "-9223372036854775807", "abc", "x", "", "007", "1.5", " 1", "-0", "hello world"];

    private static readonly string[] Increments = ["1", "-1", "5", "-100", "0", "9223372036854775807", "-9223372036854775808", "abc", "1.0", "+1"];

    private static readonly string[] Milliseconds = ["1", "10", "100", "500", "999", "1000", "1500", "5000", "20000"];

    private static readonly string[] Seconds = ["1", "2", "5", "10"];

    private static readonly string[] BadTimes = ["0", "-5", "abc", "9223372036854775807"];

    private static readonly long[] ClockSteps = [1, 5, 50, 100, 499, 500, 501, 999, 1000, 1001, 2500, 6000, 30000];

    public static Scenario Generate(int seed, GeneratorOptions options)
    {
        var random = new Random(seed);
        // Mostly the defaults; sometimes tiny IO limits and negative cache, which change the interleavings.
        var knobs = new NodeKnobs(
            FlushDelayMs: random.Next(0, 51),
            MaxInFlight: random.Next(4) == 0 ? random.Next(1, 4) : 256,
            LoadBatchSize: random.Next(4) == 0 ? random.Next(1, 3) : 64,
            SaveBatchSize: random.Next(4) == 0 ? random.Next(1, 3) : 128,
            NegativeCacheMaxEntries: random.Next(4) == 0 ? random.Next(0, 3) : 100_000);
        var steps = new List<Step>(options.Steps);
        var afterRestart = false;
        while (steps.Count < options.Steps)
        {
            var roll = random.Next(100);
            Step step;
            if (afterRestart && roll < 60) step = Pipeline(random, options);
            else if (roll < 58) step = new Command(Single(random));
            else if (roll < 78) step = Pipeline(random, options);
            else if (roll < 81) step = new FullScan(random.Next(1, 8));
            else if (roll < 92) step = new AdvanceClock(Pick(random, ClockSteps));
            else if (roll < 98) step = new Restart();
            else step = new Command(["FLUSHDB"]);
            afterRestart = step is Restart;
            steps.Add(step);
        }

        return new Scenario(seed, knobs, steps);
    }

    private static Batch Pipeline(Random random, GeneratorOptions options)
    {
        var commands = new List<Command>();
        var size = random.Next(2, 7);
        while (commands.Count < size)
        {
            var roll = random.Next(100);
            if (roll < 4 && options.FlushDbInPipelines) commands.Add(new Command(["FLUSHDB"]));
            else if (roll < 12 && options.WholeDatabaseInPipelines) commands.Add(new Command(random.Next(2) == 0 ? ["DBSIZE"] : ["KEYS", "*"]));
            else if (KeyCommand(random) is var args && (options.MultiKeyInPipelines || DistinctKeys(args) == 1)) commands.Add(new Command(args));
        }

        return new Batch(commands.ToArray());
    }

    private static int DistinctKeys(string[] args) => args[0] switch
    {
        "DEL" or "EXISTS" or "MGET" => args.Skip(1).Distinct().Count(),
        "MSET" => args.Skip(1).Where((_, i) => i % 2 == 0).Distinct().Count(),
        "RENAME" => args[1] == args[2] ? 1 : 2,
        _ => 1,
    };

    private static string[] Single(Random random) =>
        random.Next(100) switch
        {
            < 4 => ["DBSIZE"],
            < 8 => ["KEYS", "*"],
            _ => KeyCommand(random),
        };

    private static string[] KeyCommand(Random random)
    {
        string K() => Pick(random, Keys);
        string V() => Pick(random, Values);
        return random.Next(100) switch
        {
            < 12 => ["GET", K()],
            < 28 => Set(random, K(), V()),
            < 33 => ["DEL", .. Many(random, 1, 3, K)],
            < 37 => ["EXISTS", .. Many(random, 1, 3, K)],
            < 42 => ["INCR", K()],
            < 46 => ["INCRBY", K(), Pick(random, Increments)],
            < 50 => ["APPEND", K(), Pick(random, ["1", "0", "x", ""])],
            < 53 => ["STRLEN", K()],
            < 56 => ["GETDEL", K()],
            < 59 => ["GETSET", K(), V()],
            < 64 => ["MGET", .. Many(random, 1, 4, K)],
            < 68 => ["MSET", .. Many(random, 1, 3, K).SelectMany(k => new[] { k, V() })],
            < 73 => ["RENAME", K(), K()],
            < 77 => Expire(random, "EXPIRE", K()),
            < 82 => Expire(random, "PEXPIRE", K()),
            < 86 => ["TTL", K()],
            < 91 => ["PTTL", K()],
            < 95 => ["PERSIST", K()],
            _ => ["GET", K()],
        };
    }

    private static string[] Set(Random random, string key, string value)
    {
        var args = new List<string> { "SET", key, value };
        var options = random.Next(100) switch { < 40 => 0, < 75 => 1, < 93 => 2, _ => 3 };
        for (var i = 0; i < options; i++)
        {
            switch (random.Next(100))
            {
                case < 20: args.Add("NX"); break;
                case < 40: args.Add("XX"); break;
                case < 58: args.Add("GET"); break;
                case < 88: args.AddRange(["PX", random.Next(20) == 0 ? Pick(random, BadTimes) : Pick(random, Milliseconds)]); break;
                case < 95: args.AddRange(["EX", random.Next(20) == 0 ? Pick(random, BadTimes) : Pick(random, Seconds)]); break;
                default: args.Add("KEEPTTL"); break;
            }
        }

        return args.ToArray();
    }

    private static string[] Expire(Random random, string command, string key)
    {
        var times = command == "EXPIRE" ? Seconds : Milliseconds;
        var time = random.Next(12) switch
        {
            0 => Pick(random, BadTimes),
            1 => "-1",
            _ => Pick(random, times),
        };
        var args = new List<string> { command, key, time };
        if (random.Next(5) == 0) args.Add(Pick(random, ["NX", "XX", "GT", "LT"]));
        if (random.Next(30) == 0) args.Add(Pick(random, ["NX", "XX", "GT", "LT", "FOO"]));
        return args.ToArray();
    }

    private static IEnumerable<string> Many(Random random, int min, int max, Func<string> pick)
    {
        var count = random.Next(min, max + 1);
        for (var i = 0; i < count; i++) yield return pick();
    }

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];
}
