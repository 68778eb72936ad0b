namespace ActorCache.Resp.Protocol;

/// <summary>
/// How much of an incomplete request the parser has already checked, from the request's first byte: whole arguments
/// of a multibulk (<see cref="CheckedArguments"/> of them, ending <see cref="CheckedBytes"/> in), or the bytes of an
/// inline line searched for its newline. The connection keeps it between reads; the parser resets it once the request
/// is complete or refused.
/// </summary>
internal readonly record struct RespParseProgress(long CheckedBytes, int CheckedArguments);
