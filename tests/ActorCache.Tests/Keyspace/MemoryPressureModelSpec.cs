using System.Globalization;
using ActorCache.Keyspace;
using ActorCache.Protocol;
using ActorCache.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace ActorCache.Tests.Keyspace;

/// <summary>
/// Random pipelines of reads and writes over many more keys than fit under cache-max-memory, against a slow disk:
/// eviction, waiting writes and reloads must never change an answer. Each reply is checked against a dictionary that
/// applies the same commands in send order (one client, one keyspace: per-key order is send order).
/// </summary>
public sealed class MemoryPressureModelSpec(ITestOutputHelper output) : NodeSpec(output)
{
    private const int Keys = 300;
    private const int Pipelines = 40;
    private const int PipelineLength = 50;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Answers_under_memory_pressure_are_those_of_an_unbounded_cache(int seed)
    {
        var entry = Database.SizeOf(new CacheKey(Bytes("key-000")), new StringValue(new byte[16]));
        var (node, client) = await StartNodeAsync(Settings(s => s with
        {
            CacheMaxMemory = 20 * entry,
            MaxWriteWait = TimeSpan.FromHours(1),
            CacheFlushDelay = TimeSpan.FromMilliseconds(seed - 1),
        }));
        Store.MaxRandomLatencyMs = 2;
        var random = new Random(seed);
        var model = new Dictionary<string, string>();

        for (var p = 0; p < Pipelines; p++)
        {
            var sent = new List<(string[] Command, string Expected)>();
            for (var i = 0; i < PipelineLength; i++)
            {
                var key = $"key-{random.Next(Keys):D3}";
                sent.Add(Next(random, key, model));
            }

            var replies = await Task.WhenAll(sent.Select(s => client.ExecuteAsync(s.Command)));
            for (var i = 0; i < sent.Count; i++)
            {
                Assert.True(sent[i].Expected == Text(replies[i]), $"pipeline {p}, command {i} ({string.Join(' ', sent[i].Command)}): expected {sent[i].Expected}, got {Text(replies[i])}");
            }
        }

        await node.FlushAsync(RemainingOrDefault);
        foreach (var (key, value) in model) Assert.Equal(value, Store.StoredString(key));
        var stats = await StatsOf(node);
        Assert.True(stats.EvictedKeys > 0);
        Assert.True(stats.UsedMemory <= 21 * entry + 64, $"estimate {stats.UsedMemory} at rest");
    }

    private static (string[] Command, string Expected) Next(Random random, string key, Dictionary<string, string> model)
    {
        switch (random.Next(6))
        {
            case 0:
            case 1:
                return (["GET", key], model.GetValueOrDefault(key) ?? "(nil)");
            case 2:
                var value = random.Next(1_000_000).ToString("D16", CultureInfo.InvariantCulture);
                model[key] = value;
                return (["SET", key, value], "OK");
            case 3:
                // Values stay small, so that the number of keys, not their size, is what outgrows the limit.
                var current = model.GetValueOrDefault(key) ?? "";
                if (current.Length >= 40)
                {
                    model[key] = "x";
                    return (["SET", key, "x"], "OK");
                }

                model[key] = current + "x";
                return (["APPEND", key, "x"], model[key].Length.ToString(CultureInfo.InvariantCulture));
            case 4:
                var existed = model.Remove(key);
                return (["DEL", key], existed ? "1" : "0");
            default:
                return (["STRLEN", key], (model.GetValueOrDefault(key)?.Length ?? 0).ToString(CultureInfo.InvariantCulture));
        }
    }
}
