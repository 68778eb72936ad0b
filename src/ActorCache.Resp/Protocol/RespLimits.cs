namespace ActorCache.Resp.Protocol;

/// <summary>
/// The sizes a RESP connection may send, with Redis's defaults and Redis's meaning, so that one client cannot make the
/// node allocate or buffer without end.
/// </summary>
public sealed record RespLimits
{
    /// <summary>The limits Redis uses out of the box.</summary>
    public static readonly RespLimits Default = new();

    /// <summary>
    /// The longest bulk string (one argument) a request may carry, like Redis's <c>proto-max-bulk-len</c>; a longer
    /// one is the protocol error "invalid bulk length". Default 512 MiB; at most <see cref="Array.MaxLength"/>, since an
    /// argument is one array.
    /// </summary>
    public long MaxBulkLength
    {
        get;
        init => field = value <= Array.MaxLength
            ? Positive(value)
            : throw new ArgumentOutOfRangeException(nameof(MaxBulkLength), value, "A bulk string is one array: at most Array.MaxLength bytes.");
    } = 512L * 1024 * 1024;

    /// <summary>
    /// The most arguments one multibulk request may declare; more is the protocol error "invalid multibulk length".
    /// Default 1024 * 1024, the limit Redis long used.
    /// </summary>
    public int MaxMultiBulkLength
    {
        get;
        init => field = (int)Positive(value);
    } = 1024 * 1024;

    /// <summary>
    /// The longest inline request line, and the longest multibulk or bulk header line, like Redis's
    /// <c>PROTO_INLINE_MAX_SIZE</c>; longer is a protocol error ("too big inline request", "too big mbulk count
    /// string", "too big bulk count string"). Default 64 KiB.
    /// </summary>
    public int MaxInlineLength
    {
        get;
        init => field = (int)Positive(value);
    } = 64 * 1024;

    /// <summary>
    /// The most unparsed bytes a connection may buffer while a request is still incomplete, like Redis's
    /// <c>client-query-buffer-limit</c>; beyond it the connection is closed. Default 1 GiB.
    /// </summary>
    public long MaxQueryBufferLength
    {
        get;
        init => field = Positive(value);
    } = 1024L * 1024 * 1024;

    private static long Positive(long value, [System.Runtime.CompilerServices.CallerMemberName] string name = "") =>
        value > 0 ? value : throw new ArgumentOutOfRangeException(name, value, "A RESP limit must be positive.");
}
