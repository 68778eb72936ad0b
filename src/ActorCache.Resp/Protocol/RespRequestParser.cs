using System.Buffers;

namespace ActorCache.Resp.Protocol;

// Parses client requests (multibulk or inline) from the bytes a connection has buffered, one request per call, with
// Redis's rules and Redis's error messages. An incomplete request leaves the reader where it was, so the caller calls
// again once more bytes have arrived; how far the bytes were already checked is kept in the caller's
// RespParseProgress, so a request that trickles in is checked once, not once per read (a client could otherwise make
// the node re-check a million arguments for every byte it sends). Every result is decided only from bytes present, so
// a prefix never gives an answer the whole request would not; that is what lets the fast path try the first segment
// alone. It never throws: a bad request is ProtocolError, after which the connection is closed.
internal static class RespRequestParser
{
    public const string InvalidMultibulkLength = "ERR Protocol error: invalid multibulk length";
    public const string InvalidBulkLength = "ERR Protocol error: invalid bulk length";
    public const string TooBigInlineRequest = "ERR Protocol error: too big inline request";
    public const string TooBigMultibulkCount = "ERR Protocol error: too big mbulk count string";
    public const string TooBigBulkCount = "ERR Protocol error: too big bulk count string";
    public const string UnbalancedQuotes = "ERR Protocol error: unbalanced quotes in request";
    public const string UnauthenticatedMultibulkLength = "ERR Protocol error: unauthenticated multibulk length";
    public const string UnauthenticatedBulkLength = "ERR Protocol error: unauthenticated bulk length";
    public const string QueryBufferLimitExceeded = "ERR Protocol error: query buffer limit exceeded";

    // Redis 7's bounds for a client that has not authenticated yet: enough for AUTH and HELLO, too little to make the
    // node buffer anything large for someone without the password.
    private const int UnauthenticatedMaxArguments = 10;
    private const int UnauthenticatedMaxBulkLength = 16384;

    // The longest number Redis's string2ll reads ("-9223372036854775808").
    private const int MaxNumberLength = 20;

    /// <summary>Parses one request with no progress kept between calls (each call checks the request from its start).</summary>
    public static RespParseStatus TryParse(ref SequenceReader<byte> reader, RespLimits limits, out byte[][] arguments, out string? error)
    {
        var progress = default(RespParseProgress);
        return TryParse(ref reader, limits, authenticated: true, ref progress, out arguments, out error);
    }

    /// <summary>
    /// Parses one request. <paramref name="progress"/> belongs to the connection: it must start as default and be
    /// passed back unchanged while the reader's position has not moved. A client that has not authenticated gets
    /// Redis's smaller limits.
    /// </summary>
    public static RespParseStatus TryParse(
        ref SequenceReader<byte> reader, RespLimits limits, bool authenticated, ref RespParseProgress progress, out byte[][] arguments, out string? error)
    {
        var first = reader.UnreadSpan;
        var fast = new SpanCursor(first);
        var status = Parse(ref fast, limits, authenticated, ref progress, out arguments, out error);
        if (status != RespParseStatus.Incomplete || first.Length == reader.Remaining)
        {
            if (status is RespParseStatus.Command or RespParseStatus.Skip) reader.Advance(fast.Position);
            return status;
        }

        var slow = new SequenceCursor(reader);
        status = Parse(ref slow, limits, authenticated, ref progress, out arguments, out error);
        if (status is RespParseStatus.Command or RespParseStatus.Skip) reader.Advance(slow.Consumed - reader.Consumed);
        return status;
    }

    // True when a connection holds more unparsed bytes than it may (Redis's client-query-buffer-limit): the caller
    // checks it after an Incomplete and closes the connection, as Redis does.
    public static bool ExceedsQueryBufferLimit(long bufferedBytes, RespLimits limits) => bufferedBytes > limits.MaxQueryBufferLength;

    // Redis formats the offending byte with %c; a control byte would be unreadable, so it is shown as \xHH.
    public static string ExpectedDollar(byte got) =>
        got is >= 0x20 and < 0x7F
            ? $"ERR Protocol error: expected '$', got '{(char)got}'"
            : $"ERR Protocol error: expected '$', got '\\x{got:x2}'";

    private static RespParseStatus Parse<TCursor>(
        ref TCursor cursor, RespLimits limits, bool authenticated, ref RespParseProgress progress, out byte[][] arguments, out string? error)
        where TCursor : IRespCursor, allows ref struct
    {
        arguments = [];
        error = null;
        if (cursor.Remaining == 0) return RespParseStatus.Incomplete;
        var status = cursor.PeekFirst() == (byte)'*'
            ? ParseMultibulk(ref cursor, limits, authenticated, ref progress, ref arguments, ref error)
            : ParseInline(ref cursor, limits, ref progress, ref arguments, ref error);
        if (status != RespParseStatus.Incomplete) progress = default;
        return status;
    }

    private static RespParseStatus ParseInline<TCursor>(
        ref TCursor cursor, RespLimits limits, ref RespParseProgress progress, ref byte[][] arguments, ref string? error)
        where TCursor : IRespCursor, allows ref struct
    {
        // The bytes already searched hold no newline: search on from there.
        var searched = Math.Min(progress.CheckedBytes, cursor.Remaining);
        var probe = cursor;
        probe.Advance(searched);
        var found = probe.IndexOf((byte)'\n', limits.MaxInlineLength + 1L - searched);
        var newline = found < 0 ? -1 : searched + found;
        if (newline < 0)
        {
            if (cursor.Remaining <= limits.MaxInlineLength)
            {
                progress = new RespParseProgress(cursor.Remaining, 0);
                return RespParseStatus.Incomplete;
            }

            error = TooBigInlineRequest;
            return RespParseStatus.ProtocolError;
        }

        var length = (int)newline;
        if (length > 0 && cursor.PeekAt(length - 1) == (byte)'\r') length--;

        byte[][]? split;
        if (cursor.TryGetSpan(length, out var line))
        {
            split = InlineArguments.Split(line);
        }
        else
        {
            var rented = ArrayPool<byte>.Shared.Rent(length);
            cursor.Copy(rented.AsSpan(0, length));
            split = InlineArguments.Split(rented.AsSpan(0, length));
            ArrayPool<byte>.Shared.Return(rented);
        }

        if (split is null)
        {
            error = UnbalancedQuotes;
            return RespParseStatus.ProtocolError;
        }

        cursor.Advance(newline + 1);
        arguments = split;
        return split.Length == 0 ? RespParseStatus.Skip : RespParseStatus.Command;
    }

    // Two passes over the same bytes: the first checks that the whole request is there and well formed without
    // allocating, so an incomplete request costs no garbage however often it is retried; the second copies.
    private static RespParseStatus ParseMultibulk<TCursor>(
        ref TCursor cursor, RespLimits limits, bool authenticated, ref RespParseProgress progress, ref byte[][] arguments, ref string? error)
        where TCursor : IRespCursor, allows ref struct
    {
        var start = cursor;
        var header = ReadHeader(ref cursor, limits, out var count);
        switch (header)
        {
            case Header.Incomplete:
                return RespParseStatus.Incomplete;
            case Header.TooLong:
                error = TooBigMultibulkCount;
                return RespParseStatus.ProtocolError;
            case Header.Invalid:
                error = InvalidMultibulkLength;
                return RespParseStatus.ProtocolError;
        }
        if (count > limits.MaxMultiBulkLength)
        {
            error = InvalidMultibulkLength;
            return RespParseStatus.ProtocolError;
        }
        if (!authenticated && count > UnauthenticatedMaxArguments)
        {
            error = UnauthenticatedMultibulkLength;
            return RespParseStatus.ProtocolError;
        }
        if (count <= 0) return RespParseStatus.Skip;

        // The arguments an earlier call already checked are whole and well formed: skip straight past them.
        var checkedArguments = progress.CheckedArguments;
        if (checkedArguments > 0)
        {
            // The fast path sees only the first segment, which may end before the checked part does: the slow path
            // over the whole buffer takes it from there.
            if (start.Remaining < progress.CheckedBytes) return RespParseStatus.Incomplete;
            cursor = start;
            cursor.Advance(progress.CheckedBytes);
        }

        var maxBulkLength = authenticated ? limits.MaxBulkLength : Math.Min(limits.MaxBulkLength, UnauthenticatedMaxBulkLength);
        for (var i = checkedArguments; i < count; i++)
        {
            var status = SkipBulk(ref cursor, maxBulkLength, limits, ref error);
            if (status == RespParseStatus.Incomplete) progress = new RespParseProgress(start.Remaining - cursor.Remaining, i);
            if (status == RespParseStatus.ProtocolError && !authenticated && error == InvalidBulkLength && maxBulkLength < limits.MaxBulkLength)
            {
                error = UnauthenticatedBulkLength;
            }

            if (status != RespParseStatus.Command) return status;
        }

        var result = new byte[count][];
        cursor = start;
        ReadHeader(ref cursor, limits, out _);
        for (var i = 0; i < result.Length; i++)
        {
            ReadHeader(ref cursor, limits, out var length);
            var argument = length == 0 ? [] : new byte[length];
            cursor.Copy(argument);
            cursor.Advance(length + 2);
            result[i] = argument;
        }
        arguments = result;
        return RespParseStatus.Command;
    }

    private static RespParseStatus SkipBulk<TCursor>(ref TCursor cursor, long maxBulkLength, RespLimits limits, ref string? error)
        where TCursor : IRespCursor, allows ref struct
    {
        var probe = cursor;
        var header = ReadHeader(ref probe, limits, out var length);
        if (header == Header.Incomplete) return RespParseStatus.Incomplete;
        if (header == Header.TooLong)
        {
            error = TooBigBulkCount;
            return RespParseStatus.ProtocolError;
        }
        // Redis checks the '$' only once the header line is whole, so the same bytes give the same error here.
        if (cursor.PeekFirst() != (byte)'$')
        {
            error = ExpectedDollar(cursor.PeekFirst());
            return RespParseStatus.ProtocolError;
        }
        if (header == Header.Invalid || length < 0 || length > maxBulkLength)
        {
            error = InvalidBulkLength;
            return RespParseStatus.ProtocolError;
        }
        if (probe.Remaining < length + 2) return RespParseStatus.Incomplete;
        // Redis skips the two bytes after a bulk unchecked; a client whose length is wrong would then run garbage as
        // commands, so a bulk not followed by CRLF is refused here, as a wrong bulk length.
        if (probe.PeekAt(length) != (byte)'\r' || probe.PeekAt(length + 1) != (byte)'\n')
        {
            error = InvalidBulkLength;
            return RespParseStatus.ProtocolError;
        }
        probe.Advance(length + 2);
        cursor = probe;
        return RespParseStatus.Command;
    }

    private enum Header
    {
        Ok,
        Incomplete,
        TooLong,
        Invalid,
    }

    // Reads a "*<n>\r\n" or "$<n>\r\n" line (the type byte is not checked here) and moves past it when whole. Like
    // Redis, the line ends at the first '\r'; a header with no '\r' within the inline limit is too long.
    private static Header ReadHeader<TCursor>(ref TCursor cursor, RespLimits limits, out long value)
        where TCursor : IRespCursor, allows ref struct
    {
        value = 0;
        var cr = cursor.IndexOf((byte)'\r', limits.MaxInlineLength + 1L);
        if (cr < 0) return cursor.Remaining > limits.MaxInlineLength ? Header.TooLong : Header.Incomplete;
        if (cr + 1 >= cursor.Remaining) return Header.Incomplete;
        if (cursor.PeekAt(cr + 1) != (byte)'\n') return Header.Invalid;

        var digits = cr - 1;
        if (digits is < 1 or > MaxNumberLength) return Header.Invalid;
        Span<byte> text = stackalloc byte[MaxNumberLength];
        text = text[..(int)digits];
        cursor.Advance(1);
        cursor.Copy(text);
        if (!ActorCache.Commands.Arguments.TryParseInt64(text, out value)) return Header.Invalid;
        cursor.Advance(cr + 1);
        return Header.Ok;
    }
}
