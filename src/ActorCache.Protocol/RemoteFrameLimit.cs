using Akka.Configuration;

namespace ActorCache.Protocol;

/// <summary>
/// Akka.Remote drops a message larger than its <c>maximum-frame-size</c>, with only a log line at the sender, so the
/// other side would wait for its timeout without knowing why. Both ends check the size first and answer with a clear
/// error instead: the client before it sends a request, the node before it sends a reply.
/// </summary>
public static class RemoteFrameLimit
{
    /// <summary>Room kept in a frame for what Akka.Remote wraps around our payload (actor paths, manifest, ids).</summary>
    public const int EnvelopeAllowance = 4096;

    private const string FrameSizePath = "akka.remote.dot-netty.tcp.maximum-frame-size";

    /// <summary>The most payload bytes one message may carry in a system with <paramref name="config"/>; null without Akka.Remote.</summary>
    public static long? MaxPayloadBytes(Config config)
    {
        if (!config.HasPath(FrameSizePath)) return null;
        var frame = config.GetByteSize(FrameSizePath);
        return frame is { } bytes ? Math.Max(0, bytes - EnvelopeAllowance) : null;
    }

    /// <summary>An upper bound of the wire size of a request's arguments.</summary>
    public static long SizeOf(byte[][] arguments)
    {
        long size = 32;
        foreach (var argument in arguments) size += 5 + (argument?.Length ?? 0);
        return size;
    }

    /// <summary>An upper bound of the wire size of a reply.</summary>
    public static long SizeOf(RedisReply reply) => reply switch
    {
        BulkStringReply bulk => 5 + (bulk.Value?.Length ?? 0),
        SimpleStringReply simple => 5 + 3L * simple.Value.Length,
        ErrorReply error => 5 + 3L * error.Message.Length,
        ArrayReply array => 5 + (array.Items?.Sum(SizeOf) ?? 0),
        MapReply map => 5 + map.Entries.Sum(entry => SizeOf(entry.Key) + SizeOf(entry.Value)),
        _ => 9,
    };
}
