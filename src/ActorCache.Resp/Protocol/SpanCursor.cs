namespace ActorCache.Resp.Protocol;

// The fast path: the whole unread request sits in one span.
internal ref struct SpanCursor(ReadOnlySpan<byte> buffer) : IRespCursor
{
    private readonly ReadOnlySpan<byte> buffer = buffer;
    private int position;

    public readonly int Position => position;

    public readonly long Remaining => buffer.Length - position;

    public readonly byte PeekFirst() => buffer[position];

    public readonly long IndexOf(byte value, long maxSearch)
    {
        var rest = buffer[position..];
        if (rest.Length > maxSearch) rest = rest[..(int)maxSearch];
        return rest.IndexOf(value);
    }

    public readonly byte PeekAt(long offset) => buffer[position + (int)offset];

    public readonly bool TryGetSpan(int length, out ReadOnlySpan<byte> span)
    {
        span = buffer.Slice(position, length);
        return true;
    }

    public readonly void Copy(scoped Span<byte> destination) => buffer.Slice(position, destination.Length).CopyTo(destination);

    public void Advance(long count) => position += (int)count;
}
