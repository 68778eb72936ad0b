using System.Text;
using ActorCache.Commands;
using ActorCache.Protocol;

namespace ActorCache.Resp.Commands;

/// <summary>CLIENT ID | SETNAME | GETNAME | LIST | INFO | SETINFO | KILL | NO-EVICT | NO-TOUCH | HELP.</summary>
internal static class ClientCommand
{
    private static readonly RedisReply BadName = RedisReply.Error("ERR Client names cannot contain spaces, newlines or special characters.");
    private static readonly RedisReply NoSuchClient = RedisReply.Error("ERR No such client");

    public static ValueTask<FrontEndReply> Run(RespConnection connection, byte[][] arguments)
    {
        var subcommand = Encoding.ASCII.GetString(arguments[1]).ToUpperInvariant();
        if (subcommand == "KILL" && arguments.Length >= 3) return Kill(connection, arguments);
        return new FrontEndReply((subcommand, arguments.Length) switch
        {
            ("ID", 2) => RedisReply.Integer(connection.Id),
            ("GETNAME", 2) => connection.Name is { } name ? RedisReply.Bulk(name) : RedisReply.Nil,
            ("SETNAME", 3) => SetName(connection, arguments[2]),
            ("INFO", 2) => RedisReply.Bulk(Describe(connection) + "\n"),
            ("LIST", _) => List(connection, arguments),
            ("SETINFO", 4) => SetInfo(connection, arguments),
            ("NO-EVICT" or "NO-TOUCH", 3) => OnOff(arguments[2]),
            ("HELP", 2) => new ArrayReply(Help.Select(RedisReply.Bulk).ToArray()),
            ("ID" or "GETNAME" or "SETNAME" or "INFO" or "SETINFO" or "KILL" or "NO-EVICT" or "NO-TOUCH" or "HELP", _) =>
                RedisReply.Error($"ERR wrong number of arguments for 'client|{subcommand.ToLowerInvariant()}' command"),
            _ => Replies.UnknownSubcommand("client", arguments[1]),
        });
    }

    /// <summary>Redis allows printable ASCII without spaces in client names.</summary>
    public static RedisReply? InvalidName(byte[] name) => Array.Exists(name, b => b is < (byte)'!' or > (byte)'~') ? BadName : null;

    /// <summary>One line of CLIENT LIST in Redis's layout, with the fields ActorCache knows and Redis's values for the rest.</summary>
    public static string Describe(RespConnection client) =>
        $"id={client.Id} addr={client.RemoteAddress} laddr={client.LocalAddress} fd=-1 name={client.Name} " +
        $"age={(long)(DateTimeOffset.UtcNow - client.ConnectedAt).TotalSeconds} idle={client.IdleMilliseconds / 1000} flags=N " +
        $"db={client.Database} sub=0 psub=0 ssub=0 multi={client.QueuedInMulti} qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 obl=0 oll=0 omem=0 tot-mem=0 " +
        $"events=r cmd={client.LastCommand} user=default redir=-1 resp={client.Protocol} lib-name={client.LibraryName} lib-ver={client.LibraryVersion}";

    private static RedisReply SetName(RespConnection connection, byte[] name)
    {
        if (InvalidName(name) is { } invalid) return invalid;
        connection.Name = name.Length == 0 ? null : Encoding.ASCII.GetString(name);
        return RedisReply.Ok;
    }

    private static RedisReply List(RespConnection connection, byte[][] arguments)
    {
        IEnumerable<RespConnection> clients = connection.Server.Connections.OrderBy(c => c.Id);
        for (var i = 2; i < arguments.Length; i++)
        {
            var option = Encoding.ASCII.GetString(arguments[i]).ToUpperInvariant();
            if (option == "TYPE" && i + 1 < arguments.Length)
            {
                var type = Encoding.ASCII.GetString(arguments[++i]).ToLowerInvariant();
                if (type is not ("normal" or "master" or "replica" or "pubsub")) return RedisReply.Error($"ERR Unknown client type '{type}'");
                if (type != "normal") clients = [];
            }
            else if (option == "ID" && i + 1 < arguments.Length)
            {
                var ids = new HashSet<long>();
                while (i + 1 < arguments.Length)
                {
                    if (!long.TryParse(Encoding.ASCII.GetString(arguments[++i]), out var id) || id <= 0) return RedisReply.Error("ERR Invalid client ID");
                    ids.Add(id);
                }

                clients = clients.Where(c => ids.Contains(c.Id));
            }
            else
            {
                return Errors.Syntax;
            }
        }

        return RedisReply.Bulk(string.Concat(clients.Select(c => Describe(c) + "\n")));
    }

    private static RedisReply SetInfo(RespConnection connection, byte[][] arguments)
    {
        var value = Encoding.UTF8.GetString(arguments[3]);
        if (InvalidName(arguments[3]) is not null && arguments[3].Length > 0) return RedisReply.Error("ERR lib-name and lib-ver cannot contain spaces, newlines or special characters.");
        switch (Encoding.ASCII.GetString(arguments[2]).ToUpperInvariant())
        {
            case "LIB-NAME":
                connection.LibraryName = value;
                return RedisReply.Ok;
            case "LIB-VER":
                connection.LibraryVersion = value;
                return RedisReply.Ok;
            default:
                return RedisReply.Error($"ERR Unrecognized option '{Replies.Text(arguments[2])}'");
        }
    }

    /// <summary>
    /// CLIENT KILL addr (old form) or CLIENT KILL ID id | ADDR addr | LADDR addr | SKIPME yes/no ...: closes the
    /// matching clients. The new form skips the caller unless SKIPME no, as Redis does; a caller that closes itself
    /// gets its reply first.
    /// </summary>
    private static ValueTask<FrontEndReply> Kill(RespConnection connection, byte[][] arguments)
    {
        var clients = connection.Server.Connections.ToList();
        if (arguments.Length == 3)
        {
            var address = Encoding.ASCII.GetString(arguments[2]);
            var target = clients.FirstOrDefault(c => c.RemoteAddress == address);
            if (target is null) return new FrontEndReply(NoSuchClient);
            return CloseAll(connection, [target], RedisReply.Ok);
        }

        if (arguments.Length % 2 != 0) return new FrontEndReply(Errors.Syntax);
        IEnumerable<RespConnection> matching = clients;
        var skipMe = true;
        for (var i = 2; i < arguments.Length; i += 2)
        {
            var value = Encoding.ASCII.GetString(arguments[i + 1]);
            switch (Encoding.ASCII.GetString(arguments[i]).ToUpperInvariant())
            {
                case "ID":
                    if (!long.TryParse(value, out var id) || id <= 0) return new FrontEndReply(RedisReply.Error("ERR client-id should be greater than 0"));
                    matching = matching.Where(c => c.Id == id);
                    break;
                case "ADDR":
                    matching = matching.Where(c => c.RemoteAddress == value);
                    break;
                case "LADDR":
                    matching = matching.Where(c => c.LocalAddress == value);
                    break;
                case "SKIPME" when value.Equals("yes", StringComparison.OrdinalIgnoreCase) || value.Equals("no", StringComparison.OrdinalIgnoreCase):
                    skipMe = value.Equals("yes", StringComparison.OrdinalIgnoreCase);
                    break;
                default:
                    return new FrontEndReply(Errors.Syntax);
            }
        }

        var killed = matching.Where(c => !skipMe || c != connection).ToList();
        return CloseAll(connection, killed, RedisReply.Integer(killed.Count));
    }

    private static ValueTask<FrontEndReply> CloseAll(RespConnection caller, List<RespConnection> targets, RedisReply reply)
    {
        foreach (var client in targets.Where(c => c != caller)) _ = client.CloseAsync();
        return new FrontEndReply(reply, CloseAfter: targets.Contains(caller));
    }

    private static RedisReply OnOff(byte[] value) =>
        Encoding.ASCII.GetString(value).ToUpperInvariant() is "ON" or "OFF" ? RedisReply.Ok : Errors.Syntax;

    private static readonly string[] Help =
    [
        "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "ID", "    Return the ID of the current connection.",
        "GETNAME", "    Return the name of the current connection.",
        "SETNAME <name>", "    Assign the name <name> to the current connection.",
        "INFO", "    Return information about the current client connection.",
        "LIST [TYPE <type>] [ID <id> [<id> ...]]", "    Return information about client connections.",
        "SETINFO <LIB-NAME|LIB-VER> <value>", "    Record the client library's name or version.",
        "KILL <ip:port> | KILL <option> <value> [...]", "    Close connections by ID, ADDR or LADDR (SKIPME yes|no).",
        "NO-EVICT (ON|OFF)", "    Accepted for compatibility; has no effect.",
        "NO-TOUCH (ON|OFF)", "    Accepted for compatibility; has no effect.",
        "HELP", "    Print this help.",
    ];
}
