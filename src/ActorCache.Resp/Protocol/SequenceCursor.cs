using System.Buffers;

namespace ActorCache.Resp.Protocol;

// The slow path: a request that straddles segments of a pipe's buffer.
internal ref struct SequenceCursor(SequenceReader<byte> reader) : IRespCursor
{
    private SequenceReader<byte> reader = reader;

    public readonly long Consumed => reader.Consumed;

    public readonly long Remaining => reader.Remaining;

    public readonly byte PeekFirst() => reader.UnreadSpan.Length > 0 ? reader.UnreadSpan[0] : PeekAt(0);

    public readonly long IndexOf(byte value, long maxSearch)
    {
        var probe = reader;
        long searched = 0;
        while (searched < maxSearch && !probe.End)
        {
            var span = probe.UnreadSpan;
            if (span.IsEmpty) break;
            if (span.Length > maxSearch - searched) span = span[..(int)(maxSearch - searched)];
            var index = span.IndexOf(value);
            if (index >= 0) return searched + index;
            searched += span.Length;
            probe.Advance(span.Length);
        }
        return -1;
    }

    public readonly byte PeekAt(long offset)
    {
        var probe = reader;
        probe.Advance(offset);
        probe.TryPeek(out var value);
        return value;
    }

    public readonly bool TryGetSpan(int length, out ReadOnlySpan<byte> span)
    {
        span = reader.UnreadSpan;
        if (span.Length < length) return false;
        span = span[..length];
        return true;
    }

    public readonly void Copy(scoped Span<byte> destination) => reader.TryCopyTo(destination);

    public void Advance(long count) => reader.Advance(count);
}
