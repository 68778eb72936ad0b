namespace ActorCache.Resp.Protocol;

/// <summary>What one attempt to parse a client request found at the start of the buffered bytes.</summary>
internal enum RespParseStatus
{
    /// <summary>A whole command: its arguments are filled and the reader is past it.</summary>
    Command,

    /// <summary>Not a whole request yet: the reader has not moved; parse again once more bytes arrive.</summary>
    Incomplete,

    /// <summary>An empty request (a blank inline line, <c>*0</c> or <c>*-1</c>): the reader is past it, nothing runs.</summary>
    Skip,

    /// <summary>The bytes break the protocol: reply the error and close the connection, as Redis does.</summary>
    ProtocolError,
}
