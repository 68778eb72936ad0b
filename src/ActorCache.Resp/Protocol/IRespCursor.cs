namespace ActorCache.Resp.Protocol;

// The few moves the request parser makes over buffered bytes. The parser is generic over this so one algorithm runs
// both on a plain span (the common case, fully inlined) and across the segments of a pipe's buffer.
internal interface IRespCursor
{
    long Remaining { get; }

    byte PeekFirst();

    // Where value first occurs within the next maxSearch bytes, or -1.
    long IndexOf(byte value, long maxSearch);

    // The byte at offset; the caller has checked offset < Remaining.
    byte PeekAt(long offset);

    // The next length bytes as one span when they are contiguous, so a caller copies only when it must.
    bool TryGetSpan(int length, out ReadOnlySpan<byte> span);

    // Copies destination.Length bytes from the current position without moving.
    void Copy(scoped Span<byte> destination);

    void Advance(long count);
}
