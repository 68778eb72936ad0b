using System.Buffers;
using System.Net.Sockets;

namespace ActorCache.IntegrationTests.Crash;

/// <summary>
/// One RESP connection's share of the load and everything the spec knows about it, kept across kill cycles. The
/// writer owns its keys (<c>c{id}:k{i}</c>) and counter pairs (<c>c{id}:a{j}</c>, <c>c{id}:b{j}</c>): no other
/// connection writes them, and one connection's commands run in order, so a key's sequence only grows and a pair's
/// EXEC replies count up by one. A key's SETs and DELs share its sequence: a SET's value carries its number, a DEL's
/// number is remembered so a missing key can be explained.
/// <para>
/// Per key: <see cref="Issued"/> is the highest sequence ever sent (a higher one on disk was never written),
/// <see cref="Acked"/> the highest whose +OK arrived, <see cref="Floor"/> the one that must survive a kill: every
/// acknowledgement under write-through, what was acknowledged before a WAITDISK's +OK under write-behind. Per pair the
/// same for the counters: EXECs sent, the last EXEC's reply, the one that must survive.
/// </para>
/// </summary>
internal sealed class CrashWriter
{
    private readonly object _gate = new();

    public CrashWriter(int id, int database, int keys, int pairs)
    {
        Id = id;
        Database = database;
        Keys = Enumerable.Range(0, keys).Select(i => $"c{id}:k{i}").ToArray();
        PairA = Enumerable.Range(0, pairs).Select(j => $"c{id}:a{j}").ToArray();
        PairB = Enumerable.Range(0, pairs).Select(j => $"c{id}:b{j}").ToArray();
        Issued = new long[keys];
        Deletes = Enumerable.Range(0, keys).Select(_ => new List<long>()).ToArray();
        Present = new bool[keys];
        Acked = new long[keys];
        Floor = new long[keys];
        ExecsSent = new long[pairs];
        PairAcked = new long[pairs];
        PairFloor = new long[pairs];
    }

    private enum OpKind
    {
        Set,
        Del,
        Exec,
        WaitDisk,
    }

    public int Id { get; }

    public int Database { get; }

    public string[] Keys { get; }

    public string[] PairA { get; }

    public string[] PairB { get; }

    public long[] Issued { get; }

    /// <summary>Per key, the sequences that were DELs (in order): a missing key is explained by one of them.</summary>
    public List<long>[] Deletes { get; }

    /// <summary>Per key, whether it exists after the last command sent (what DEL must answer).</summary>
    public bool[] Present { get; }

    public long[] Acked { get; }

    public long[] Floor { get; }

    public long[] ExecsSent { get; }

    public long[] PairAcked { get; }

    public long[] PairFloor { get; }

    /// <summary>Commands sent in the current cycle (a transaction counts once).</summary>
    public long Sent { get; private set; }

    private long _answered;

    /// <summary>Commands whose reply arrived in the current cycle (read from the spec's thread while the load runs).</summary>
    public long Answered => Volatile.Read(ref _answered);

    /// <summary>WAITDISKs answered in the current cycle.</summary>
    public long Barriers { get; private set; }

    /// <summary>Zeroes the cycle's counters; called before the cycle's load starts, so none of them shows the last cycle's.</summary>
    public void BeginCycle()
    {
        Sent = 0;
        Volatile.Write(ref _answered, 0);
        Barriers = 0;
    }

    /// <summary>
    /// Writes in pipelined bursts of 1 to 16 commands (SET, DEL, MULTI/INCR/INCR/EXEC, and WAITDISK when asked) until the
    /// connection dies after <paramref name="killed"/> became true. A wrong reply, or the connection failing before
    /// the kill, throws.
    /// </summary>
    public async Task RunAsync(int port, Random random, bool writeThrough, bool waitDiskInPipeline, Func<bool> killed, CancellationToken cancellation)
    {
        var ops = new List<(OpKind Kind, int Index, long Value)>();
        var pipeline = new ArrayBufferWriter<byte>();
        try
        {
            using var client = await RawRespClient.ConnectAsync(port, cancellation);
            Expect(await client.CallAsync(cancellation, "SELECT", $"{Database}"), "OK", "SELECT");
            while (true)
            {
                ops.Clear();
                pipeline.Clear();
                var count = random.Next(1, 17);
                for (var n = 0; n < count; n++)
                {
                    var roll = random.Next(100);
                    if (roll < 62 || (roll >= 95 && !waitDiskInPipeline))
                    {
                        var i = random.Next(Keys.Length);
                        // Counted as issued before it is sent: from here on it may land.
                        var sequence = ++Issued[i];
                        RawRespClient.Encode(pipeline, "SET", Keys[i], SelfCheckingValue.Encode(Keys[i], sequence));
                        ops.Add((OpKind.Set, i, sequence));
                        Present[i] = true;
                    }
                    else if (roll < 70)
                    {
                        // A DEL takes a sequence too, and its reply says whether the key existed: :1 or :0.
                        var i = random.Next(Keys.Length);
                        var sequence = ++Issued[i];
                        Deletes[i].Add(sequence);
                        RawRespClient.Encode(pipeline, "DEL", Keys[i]);
                        ops.Add((OpKind.Del, i, Present[i] ? sequence : -sequence));
                        Present[i] = false;
                    }
                    else if (roll < 95)
                    {
                        var j = random.Next(PairA.Length);
                        ExecsSent[j]++;
                        RawRespClient.Encode(pipeline, "MULTI");
                        RawRespClient.Encode(pipeline, "INCR", PairA[j]);
                        RawRespClient.Encode(pipeline, "INCR", PairB[j]);
                        RawRespClient.Encode(pipeline, "EXEC");
                        ops.Add((OpKind.Exec, j, 0));
                    }
                    else
                    {
                        RawRespClient.Encode(pipeline, "WAITDISK");
                        ops.Add((OpKind.WaitDisk, 0, 0));
                    }
                }

                Sent += ops.Count;
                await client.SendAsync(pipeline.WrittenMemory, cancellation);
                foreach (var (kind, index, value) in ops)
                {
                    switch (kind)
                    {
                        case OpKind.Set:
                            Expect(await client.ReadAsync(cancellation), "OK", $"SET {Keys[index]} #{value}");
                            Volatile.Write(ref Acked[index], value);
                            if (writeThrough) RaiseFloor(index, value);
                            break;

                        case OpKind.Del:
                        {
                            var sequence = Math.Abs(value);
                            var existed = value > 0 ? 1 : 0;
                            var deleted = await client.ReadAsync(cancellation);
                            if (deleted is not RespInteger { Value: var n } || n != existed)
                            {
                                throw new CrashSpecException($"writer {Id}: DEL {Keys[index]} #{sequence} answered {deleted}, expected :{existed}");
                            }

                            Volatile.Write(ref Acked[index], sequence);
                            if (writeThrough) RaiseFloor(index, sequence);
                            break;
                        }

                        case OpKind.Exec:
                            Expect(await client.ReadAsync(cancellation), "OK", "MULTI");
                            Expect(await client.ReadAsync(cancellation), "QUEUED", $"INCR {PairA[index]}");
                            Expect(await client.ReadAsync(cancellation), "QUEUED", $"INCR {PairB[index]}");
                            var reply = await client.ReadAsync(cancellation);
                            var expected = PairAcked[index] + 1;
                            if (reply is not RespArray { Items: [RespInteger a, RespInteger b] } || a.Value != expected || b.Value != expected)
                            {
                                throw new CrashSpecException($"writer {Id}: EXEC on {PairA[index]}/{PairB[index]} answered {reply}, expected [{expected}, {expected}]");
                            }

                            Volatile.Write(ref PairAcked[index], expected);
                            if (writeThrough) RaisePairFloor(index, expected);
                            break;

                        case OpKind.WaitDisk:
                            Expect(await client.ReadAsync(cancellation), "OK", "WAITDISK");
                            // Every reply before this one has been read: all of it must be on disk now.
                            RaiseFloors(Acked.ToArray(), PairAcked.ToArray());
                            Barriers++;
                            break;
                    }

                    Volatile.Write(ref _answered, _answered + 1);
                }
            }
        }
        catch (Exception ex) when (killed() && ex is IOException or SocketException or EndOfStreamException or ObjectDisposedException)
        {
            // The node was killed: whatever was not answered stays unacknowledged.
        }
    }

    /// <summary>What this writer has acknowledged so far, read (from another thread) before a barrier is sent.</summary>
    public (long[] Keys, long[] Pairs) SnapshotAcked() =>
        (Acked.Select((_, i) => Volatile.Read(ref Acked[i])).ToArray(), PairAcked.Select((_, j) => Volatile.Read(ref PairAcked[j])).ToArray());

    /// <summary>After a barrier's +OK: everything in the snapshot taken before it was sent must survive.</summary>
    public void RaiseFloors(long[] keys, long[] pairs)
    {
        lock (_gate)
        {
            for (var i = 0; i < keys.Length; i++) Floor[i] = Math.Max(Floor[i], keys[i]);
            for (var j = 0; j < pairs.Length; j++) PairFloor[j] = Math.Max(PairFloor[j], pairs[j]);
        }
    }

    /// <summary>
    /// After a restart's check: what the disk holds now is the new starting point of every key and pair (for a missing
    /// key, the sequence of the DEL that explains it, or 0).
    /// </summary>
    public void Recovered(long[] keys, bool[] present, long[] pairs)
    {
        lock (_gate)
        {
            present.CopyTo(Present, 0);
            keys.CopyTo(Acked, 0);
            keys.CopyTo(Floor, 0);
            pairs.CopyTo(PairAcked, 0);
            pairs.CopyTo(PairFloor, 0);
        }
    }

    public (long[] Keys, long[] Pairs) SnapshotFloors()
    {
        lock (_gate) return (Floor.ToArray(), PairFloor.ToArray());
    }

    private void RaiseFloor(int index, long value)
    {
        lock (_gate) Floor[index] = Math.Max(Floor[index], value);
    }

    private void RaisePairFloor(int index, long value)
    {
        lock (_gate) PairFloor[index] = Math.Max(PairFloor[index], value);
    }

    private void Expect(RespReply reply, string simple, string what)
    {
        if (reply is not RespSimple { Text: var text } || text != simple) throw new CrashSpecException($"writer {Id}: {what} answered {reply}, expected +{simple}");
    }
}

/// <summary>A reply the node should not have given (as opposed to a connection dying in a kill).</summary>
internal sealed class CrashSpecException(string message) : Exception(message);
