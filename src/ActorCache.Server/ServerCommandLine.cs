using System.CommandLine;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using ActorCache.Resp;
using ActorCache.Settings;
using Akka.Configuration;

namespace ActorCache.Server;

/// <summary>What the command line asks for: run a node with a configuration, show help, or fail with a message.</summary>
internal sealed record ServerLaunch
{
    /// <summary>The complete configuration (flags and --set over --config over the server's and engine's defaults); null unless running.</summary>
    public Config? Config { get; init; }

    /// <summary>The node's settings read from <see cref="Config"/>; null unless running.</summary>
    public CacheSettings? Settings { get; init; }

    /// <summary>The RESP front end's settings read from <see cref="Config"/>; null unless running.</summary>
    public RespSettings? Resp { get; init; }

    /// <summary>The full path of the snapshot folder that replaces the store before the node starts (--restore); null to keep the store.</summary>
    public string? RestoreFrom { get; init; }

    /// <summary>One-line error for stderr; null if there is none.</summary>
    public string? Error { get; init; }

    /// <summary>The parse result when the command line asked for help or the version instead of a node.</summary>
    public ParseResult? InfoRequest { get; init; }
}

/// <summary>The node executable's options and how they are layered into one HOCON configuration.</summary>
internal static partial class ServerCommandLine
{
    /// <summary>The server's own defaults (Akka.Remote on 127.0.0.1:4055, frame size), over the engine's.</summary>
    public static Config ServerDefaults { get; } = LoadServerDefaults();

    private static readonly Option<FileInfo?> ConfigOption = new("--config")
    {
        Description = "HOCON file layered over the built-in defaults (e.g. hocon/single-node.conf). "
            + "--set and the specific flags below override it.",
        HelpName = "FILE",
    };

    private static readonly Option<string?> DataDirOption = new("--data-dir")
    {
        Description = "Folder of the on-disk store (actor-cache.data-dir; default ./data). "
            + "It holds a lock file so a second node cannot open it.",
        HelpName = "DIR",
    };

    private static readonly Option<string?> HostOption = new("--host")
    {
        Description = "Host name or IP address Akka.Remote binds to and clients use (default 127.0.0.1: this machine only).",
        HelpName = "HOST",
    };

    private static readonly Option<string?> PortOption = new("--port")
    {
        Description = "Akka.Remote TCP port (default 4055; 0 picks a free port, printed at start).",
        HelpName = "PORT",
    };

    private static readonly Option<string?> RespPortOption = new("--resp-port")
    {
        Description = "Port of the Redis protocol (RESP) server for redis-cli and every Redis client, on 127.0.0.1 "
            + "(default 6379; 0 picks a free port, printed at start; off: no RESP server). Another interface: "
            + "--set resp.host=ADDRESS, which needs --set resp.requirepass=PASSWORD.",
        HelpName = "PORT|off",
    };

    private static readonly Option<string?> BackendOption = new("--backend")
    {
        Description = "On-disk store: rocksdb (default) or file (one file per key).",
        HelpName = "rocksdb|file",
    };

    private static readonly Option<string?> RestoreOption = new("--restore")
    {
        Description = "Before the node starts, replace the store of the chosen --backend in the data folder with a copy of the "
            + "snapshot in DIR (a folder SAVE or BGSAVE wrote, e.g. DATA-DIR/snapshots/NAME); the snapshot itself is left as it is. "
            + "The data folder's lock is taken first, so a running node's store is never replaced.",
        HelpName = "DIR",
    };

    private static readonly Option<string[]> SetOption = new("--set")
    {
        Description = "Override one setting, repeatable: an actor-cache.* key with or without its prefix "
            + "(--set cache-flush-delay=200ms), or a full akka.* path "
            + "(--set akka.remote.dot-netty.tcp.maximum-frame-size=32MiB). Overrides --config.",
        HelpName = "KEY=VALUE",
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary>The root command with every option; --help explains each.</summary>
    public static RootCommand CreateCommand()
    {
        var command = new RootCommand(
            "Runs an ActorCache node: a disk-backed cache reached over Akka.Remote at "
            + "akka.tcp://actor-cache@HOST:PORT/user/actor-cache and over the Redis protocol at 127.0.0.1:RESP-PORT. Ctrl+C or SIGTERM flushes every dirty key to disk "
            + "and exits with 0. Exit code 2: bad options, an unusable configuration, a data folder in use, or a snapshot that cannot be restored.")
        {
            ConfigOption,
            DataDirOption,
            HostOption,
            PortOption,
            RespPortOption,
            BackendOption,
            RestoreOption,
            SetOption,
        };
        return command;
    }

    /// <summary>Parses <paramref name="args"/> and builds the node's configuration; never throws for bad input.</summary>
    public static ServerLaunch Parse(IReadOnlyList<string> args)
    {
        var result = CreateCommand().Parse(args);
        if (result.Errors.Count > 0)
        {
            return Fail(result.Errors[0].Message);
        }

        if (result.Action is not null)
        {
            // --help or --version: System.CommandLine prints it.
            return new ServerLaunch { InfoRequest = result };
        }

        int? port = null;
        var portText = result.GetValue(PortOption);
        if (portText is not null)
        {
            if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number > 65535)
            {
                return Fail($"--port must be a number between 0 and 65535, not \"{portText}\"");
            }

            port = number;
        }

        string? respPort = null;
        var respPortText = result.GetValue(RespPortOption);
        if (respPortText is not null)
        {
            if (respPortText != "off" && (!int.TryParse(respPortText, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number > 65535))
            {
                return Fail($"--resp-port must be a number between 0 and 65535 or off, not \"{respPortText}\"");
            }

            respPort = respPortText;
        }

        var backend = result.GetValue(BackendOption);
        if (backend is not null and not ("rocksdb" or "file"))
        {
            return Fail($"--backend must be rocksdb or file, not \"{backend}\"");
        }

        var host = result.GetValue(HostOption);
        if (host is not null && string.IsNullOrWhiteSpace(host))
        {
            return Fail("--host must not be empty");
        }

        var dataDir = result.GetValue(DataDirOption);
        if (dataDir is not null && string.IsNullOrWhiteSpace(dataDir))
        {
            return Fail("--data-dir must not be empty");
        }

        string? restoreFrom = null;
        var restoreText = result.GetValue(RestoreOption);
        if (restoreText is not null)
        {
            if (string.IsNullOrWhiteSpace(restoreText))
            {
                return Fail("--restore must not be empty");
            }

            restoreFrom = Path.GetFullPath(restoreText);
            if (!Directory.Exists(restoreFrom))
            {
                return Fail($"--restore folder {restoreFrom} does not exist");
            }
        }

        Config config = Config.Empty;
        var file = result.GetValue(ConfigOption);
        if (file is not null)
        {
            try
            {
                config = ConfigurationFactory.ParseString(File.ReadAllText(file.FullName));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return Fail($"cannot read --config {file.FullName}: {OneLine(ex.Message)}");
            }
            catch (Exception ex)
            {
                return Fail($"invalid HOCON in --config {file.FullName}: {OneLine(ex.Message)}");
            }
        }

        var overrides = new List<string>();
        foreach (var assignment in result.GetValue(SetOption) ?? [])
        {
            var line = ParseSet(assignment, out var error);
            if (line is null)
            {
                return Fail(error!);
            }

            overrides.Add(line);
        }

        if (dataDir is not null)
        {
            overrides.Add("actor-cache.data-dir = " + Quote(dataDir));
        }

        if (backend is not null)
        {
            overrides.Add("actor-cache.backend = " + backend);
        }

        if (host is not null)
        {
            overrides.Add("akka.remote.dot-netty.tcp.hostname = " + Quote(host));
        }

        if (respPort == "off")
        {
            overrides.Add("actor-cache.resp.enabled = off");
        }
        else if (respPort is not null)
        {
            overrides.Add("actor-cache.resp.port = " + respPort);
        }

        if (port is not null)
        {
            overrides.Add("akka.remote.dot-netty.tcp.port = " + port.Value.ToString(CultureInfo.InvariantCulture));
        }

        try
        {
            var top = ConfigurationFactory.ParseString(string.Join('\n', overrides));
            var merged = top.WithFallback(config).WithFallback(ServerDefaults).WithFallback(RespSettings.DefaultConfig);
            var settings = CacheSettings.Create(merged);
            // The node works with an absolute data folder, so a later change of working directory cannot move it.
            var fullDataDir = Path.GetFullPath(settings.DataDirectory);
            merged = ConfigurationFactory.ParseString("actor-cache.data-dir = " + Quote(fullDataDir)).WithFallback(merged);
            settings = settings with { DataDirectory = fullDataDir };
            ValidateRemote(merged);
            return new ServerLaunch { Config = merged, Settings = settings, Resp = RespSettings.Create(merged), RestoreFrom = restoreFrom };
        }
        catch (Exception ex)
        {
            return Fail(OneLine(ex.Message));
        }
    }

    /// <summary>Turns <c>key=value</c> into one HOCON line, or null with <paramref name="error"/> set.</summary>
    internal static string? ParseSet(string assignment, out string? error)
    {
        error = null;
        var equals = assignment.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            error = $"--set expects KEY=VALUE, not \"{assignment}\"";
            return null;
        }

        var key = assignment[..equals].Trim();
        var value = assignment[(equals + 1)..].Trim();
        if (!KeyPattern().IsMatch(key))
        {
            error = $"--set: \"{key}\" is not a setting name";
            return null;
        }

        if (!key.StartsWith("akka.", StringComparison.Ordinal) && !key.StartsWith("actor-cache.", StringComparison.Ordinal))
        {
            key = "actor-cache." + key;
        }

        if (key.StartsWith("actor-cache.", StringComparison.Ordinal) && !RespSettings.DefaultConfig.HasPath(key))
        {
            error = $"--set: unknown setting {key}";
            return null;
        }

        // Lists and objects are HOCON as written; everything else is taken as a string, which HOCON converts to the
        // number, duration, size or boolean the setting needs (so paths and such need no quoting).
        var hoconValue = value.StartsWith('[') || value.StartsWith('{') ? value : Quote(value);
        try
        {
            ConfigurationFactory.ParseString(key + " = " + hoconValue);
        }
        catch (Exception ex)
        {
            error = $"--set {key}: invalid value \"{value}\": {OneLine(ex.Message)}";
            return null;
        }

        return key + " = " + hoconValue;
    }

    private static void ValidateRemote(Config config)
    {
        var tcp = config.GetConfig("akka.remote.dot-netty.tcp");
        var port = tcp.GetInt("port");
        if (port is < 0 or > 65535)
        {
            throw new ConfigurationException($"akka.remote.dot-netty.tcp.port must be between 0 and 65535, not {port}");
        }

        if (string.IsNullOrWhiteSpace(tcp.GetString("hostname")))
        {
            throw new ConfigurationException("akka.remote.dot-netty.tcp.hostname must not be empty");
        }

        foreach (var key in new[] { "maximum-frame-size", "send-buffer-size", "receive-buffer-size" })
        {
            var size = tcp.GetByteSize(key) ?? throw new ConfigurationException($"akka.remote.dot-netty.tcp.{key} must be a size");
            if (size is < 32000 or > int.MaxValue)
            {
                throw new ConfigurationException($"akka.remote.dot-netty.tcp.{key} must be between 32000 bytes and 2 GiB, not {size}");
            }
        }
    }

    private static ServerLaunch Fail(string message) => new() { Error = OneLine(message) };

    private static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static string Quote(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static Config LoadServerDefaults()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("ActorCache.Server.server.conf")
            ?? throw new InvalidOperationException("server.conf is not embedded");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    }

    [GeneratedRegex(@"^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$")]
    private static partial Regex KeyPattern();
}
