using System.Buffers;

namespace ActorCache.IntegrationTests.Crash;

/// <summary>What one check of a restarted node found.</summary>
internal sealed record CrashCheck(List<string> Problems, int KeysPresent, int PairsPresent, int AckedButLost, int UnacknowledgedLanded);

/// <summary>
/// Reads every key and pair of every writer from a freshly started node (so from disk) and checks it against what the
/// writers know: each value well-formed (no torn or mixed value), not older than its floor (what must survive), never
/// newer than what was sent; a missing key explained by a DEL at or after its floor; each pair's two counters equal (no half transaction), not below its floor, never above the
/// EXECs sent; DBSIZE equal to the keys found (nothing else in the database). Then what was found becomes the writers'
/// starting point for the next cycle.
/// </summary>
internal static class CrashVerifier
{
    public static async Task<CrashCheck> CheckAsync(int port, IReadOnlyList<CrashWriter> writers, CancellationToken cancellation)
    {
        var problems = new List<string>();
        int keysPresent = 0, pairsPresent = 0, ackedButLost = 0, unacknowledgedLanded = 0;
        using var client = await RawRespClient.ConnectAsync(port, cancellation);
        foreach (var database in writers.Select(w => w.Database).Distinct().Order())
        {
            if (await client.CallAsync(cancellation, "SELECT", $"{database}") is not RespSimple { Text: "OK" })
            {
                throw new CrashSpecException($"SELECT {database} failed");
            }

            var found = 0;
            foreach (var writer in writers.Where(w => w.Database == database))
            {
                var pipeline = new ArrayBufferWriter<byte>();
                foreach (var key in writer.Keys.Concat(writer.PairA).Concat(writer.PairB)) RawRespClient.Encode(pipeline, "GET", key);
                await client.SendAsync(pipeline.WrittenMemory, cancellation);
                var replies = new RespReply[writer.Keys.Length + 2 * writer.PairA.Length];
                for (var r = 0; r < replies.Length; r++) replies[r] = await client.ReadAsync(cancellation);

                var (floors, pairFloors) = writer.SnapshotFloors();
                var recovered = new long[writer.Keys.Length];
                var present = new bool[writer.Keys.Length];
                for (var i = 0; i < writer.Keys.Length; i++)
                {
                    var key = writer.Keys[i];
                    if (replies[i] is not RespBulk { Text: var text })
                    {
                        problems.Add($"GET {key} answered {replies[i]}");
                        continue;
                    }

                    if (text is null)
                    {
                        // Missing is right if a DEL at or after the floor landed; it is then the key's new floor.
                        var delete = writer.Deletes[i].Where(d => d >= floors[i]).DefaultIfEmpty(0).Min();
                        if (floors[i] > 0 && delete == 0) problems.Add($"{key}: missing, but write #{floors[i]} had to survive (and no DEL came after it)");
                        if (writer.Acked[i] > 0 && !writer.Deletes[i].Any(d => d >= writer.Acked[i])) ackedButLost++;
                        recovered[i] = floors[i] > 0 ? delete : 0;
                        continue;
                    }

                    found++;
                    present[i] = true;
                    keysPresent++;
                    if (SelfCheckingValue.Decode(key, text, out var problem) is not { } sequence)
                    {
                        problems.Add($"{key}: bad value ({problem})");
                        continue;
                    }

                    recovered[i] = sequence;
                    if (sequence < floors[i]) problems.Add($"{key}: holds write #{sequence}, but #{floors[i]} had to survive");
                    if (sequence > writer.Issued[i]) problems.Add($"{key}: holds write #{sequence}, but only #{writer.Issued[i]} was ever sent");
                    if (sequence < writer.Acked[i]) ackedButLost++;
                    if (sequence > writer.Acked[i]) unacknowledgedLanded++;
                }

                var pairs = new long[writer.PairA.Length];
                for (var j = 0; j < writer.PairA.Length; j++)
                {
                    var a = Counter(replies[writer.Keys.Length + j], writer.PairA[j], problems);
                    var b = Counter(replies[writer.Keys.Length + writer.PairA.Length + j], writer.PairB[j], problems);
                    if (a is null || b is null) continue;
                    if (a.Value > 0) found++;
                    if (b.Value > 0) found++;
                    if (a.Value > 0) pairsPresent++;
                    if (a != b)
                    {
                        problems.Add($"{writer.PairA[j]} = {a}, {writer.PairB[j]} = {b}: half a transaction");
                        continue;
                    }

                    pairs[j] = a.Value;
                    if (a.Value < pairFloors[j]) problems.Add($"{writer.PairA[j]}/{writer.PairB[j]} = {a}, but EXEC #{pairFloors[j]} had to survive");
                    if (a.Value > writer.ExecsSent[j]) problems.Add($"{writer.PairA[j]}/{writer.PairB[j]} = {a}, but only {writer.ExecsSent[j]} EXECs were ever sent");
                    if (a.Value < writer.PairAcked[j]) ackedButLost++;
                    if (a.Value > writer.PairAcked[j]) unacknowledgedLanded++;
                }

                writer.Recovered(recovered, present, pairs);
            }

            var size = await client.CallAsync(cancellation, "DBSIZE");
            if (size is not RespInteger { Value: var count } || count != found) problems.Add($"db {database}: DBSIZE answered {size}, {found} keys found");
        }

        return new CrashCheck(problems, keysPresent, pairsPresent, ackedButLost, unacknowledgedLanded);
    }

    /// <summary>A counter's value (0 when absent), or null with a problem added.</summary>
    private static long? Counter(RespReply reply, string key, List<string> problems)
    {
        if (reply is RespBulk { Text: null }) return 0;
        if (reply is RespBulk { Text: var text } && long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) && value > 0)
        {
            return value;
        }

        problems.Add($"{key}: bad counter {reply}");
        return null;
    }
}
