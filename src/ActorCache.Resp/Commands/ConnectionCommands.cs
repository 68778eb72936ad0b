using System.Security.Cryptography;
using System.Text;
using ActorCache.Commands;
using ActorCache.Protocol;

namespace ActorCache.Resp.Commands;

/// <summary>PING, ECHO, SELECT, AUTH, HELLO, QUIT, RESET: commands that act on the connection itself.</summary>
internal static class ConnectionCommands
{
    private static readonly RedisReply ProtocolNotInteger = RedisReply.Error("ERR Protocol version is not an integer or out of range");
    private static readonly RedisReply NoProtocol = RedisReply.Error("NOPROTO unsupported protocol version");
    private static readonly RedisReply HelloNeedsAuth = RedisReply.Error(
        "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time");

    public static ValueTask<FrontEndReply> Ping(RespConnection connection, byte[][] arguments) => arguments.Length switch
    {
        1 => new FrontEndReply(Replies.Pong),
        2 => new FrontEndReply(RedisReply.Bulk(arguments[1])),
        _ => new FrontEndReply(Errors.WrongArity("ping")),
    };

    public static ValueTask<FrontEndReply> Echo(RespConnection connection, byte[][] arguments) => new FrontEndReply(RedisReply.Bulk(arguments[1]));

    public static ValueTask<FrontEndReply> Select(RespConnection connection, byte[][] arguments)
    {
        if (!TryParseInt(arguments[1], out var database)) return new FrontEndReply(Errors.NotInteger);
        if (database < 0 || database >= connection.Server.Keyspaces.Count) return new FrontEndReply(Errors.DatabaseOutOfRange);
        connection.Database = database;
        return new FrontEndReply(RedisReply.Ok);
    }

    public static ValueTask<FrontEndReply> Auth(RespConnection connection, byte[][] arguments)
    {
        if (arguments.Length > 3) return new FrontEndReply(Errors.Syntax);
        var password = connection.Server.Settings.RequirePass;
        if (password is null && arguments.Length == 2) return new FrontEndReply(Replies.NoPasswordSet);
        var user = arguments.Length == 3 ? arguments[1] : "default"u8.ToArray();
        if (!CheckCredentials(password, user, arguments[^1])) return new FrontEndReply(Replies.WrongPass);
        connection.Authenticated = true;
        return new FrontEndReply(RedisReply.Ok);
    }

    /// <summary>HELLO [protover [AUTH username password] [SETNAME clientname]]: the handshake of RESP3-aware clients.</summary>
    public static ValueTask<FrontEndReply> Hello(RespConnection connection, byte[][] arguments)
    {
        var protocol = connection.Protocol;
        if (arguments.Length >= 2)
        {
            if (!TryParseInt(arguments[1], out protocol)) return new FrontEndReply(ProtocolNotInteger);
            if (protocol is not (2 or 3)) return new FrontEndReply(NoProtocol);
        }

        string? name = null;
        var authenticated = connection.MayRunCommands;
        for (var i = 2; i < arguments.Length; i++)
        {
            var option = Encoding.ASCII.GetString(arguments[i]).ToUpperInvariant();
            if (option == "AUTH" && i + 2 < arguments.Length)
            {
                if (!CheckCredentials(connection.Server.Settings.RequirePass, arguments[i + 1], arguments[i + 2])) return new FrontEndReply(Replies.WrongPass);
                authenticated = true;
                i += 2;
            }
            else if (option == "SETNAME" && i + 1 < arguments.Length)
            {
                if (ClientCommand.InvalidName(arguments[i + 1]) is { } invalid) return new FrontEndReply(invalid);
                name = Encoding.UTF8.GetString(arguments[i + 1]);
                i += 1;
            }
            else
            {
                return new FrontEndReply(RedisReply.Error($"ERR Syntax error in HELLO option '{Replies.Text(arguments[i])}'"));
            }
        }

        if (!authenticated) return new FrontEndReply(HelloNeedsAuth);
        connection.Authenticated = true;
        if (name is not null) connection.Name = name.Length == 0 ? null : name;
        connection.SwitchProtocol(protocol, connection.CurrentSequence);
        return new FrontEndReply(new MapReply(
        [
            (RedisReply.Bulk("server"), RedisReply.Bulk("redis")),
            (RedisReply.Bulk("version"), RedisReply.Bulk(ServerIdentity.RedisVersion)),
            (RedisReply.Bulk("proto"), RedisReply.Integer(protocol)),
            (RedisReply.Bulk("id"), RedisReply.Integer(connection.Id)),
            (RedisReply.Bulk("mode"), RedisReply.Bulk("standalone")),
            (RedisReply.Bulk("role"), RedisReply.Bulk("master")),
            (RedisReply.Bulk("modules"), RedisReply.EmptyArray),
        ]));
    }

    public static ValueTask<FrontEndReply> Quit(RespConnection connection, byte[][] arguments) => new FrontEndReply(RedisReply.Ok, CloseAfter: true);

    /// <summary>
    /// Back to a fresh connection's state: no MULTI and no watch, database 0, no name, RESP2, and not authenticated if
    /// a password is set.
    /// </summary>
    public static ValueTask<FrontEndReply> Reset(RespConnection connection, byte[][] arguments)
    {
        connection.ForgetTransaction();
        connection.Database = 0;
        connection.Name = null;
        connection.Authenticated = false;
        connection.SwitchProtocol(2, connection.CurrentSequence);
        return new FrontEndReply(Replies.Reset);
    }

    /// <summary>An integer as Redis reads one (no sign '+', no leading zeros), within int's range.</summary>
    public static bool TryParseInt(byte[] text, out int value)
    {
        value = 0;
        if (!Arguments.TryParseInt64(text, out var number) || number is < int.MinValue or > int.MaxValue) return false;
        value = (int)number;
        return true;
    }

    /// <summary>
    /// Only the "default" user exists. The password is compared in constant time (both sides hashed first, so not even
    /// its length leaks through timing).
    /// </summary>
    private static bool CheckCredentials(string? requiredPassword, byte[] user, byte[] password)
    {
        if (!"default"u8.SequenceEqual(user)) return false;
        if (requiredPassword is null) return true;
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(password), SHA256.HashData(Encoding.UTF8.GetBytes(requiredPassword)));
    }
}
