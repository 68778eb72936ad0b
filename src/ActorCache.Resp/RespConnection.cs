using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using ActorCache.Commands;
using ActorCache.Keyspace;
using ActorCache.Protocol;
using ActorCache.Resp.Commands;
using ActorCache.Resp.Protocol;

namespace ActorCache.Resp;

/// <summary>
/// One client connection. The read loop parses every whole command in what the socket delivered, runs connection
/// commands itself and hands data commands to the keyspace actor of the selected database, several per message. Each
/// command gets a sequence number, and replies (which come back from the keyspaces in any order, since a command may
/// wait for a disk load while later ones are answered from memory) are written in sequence order (the Replies part).
/// Between MULTI and EXEC, commands are queued on the connection instead, and WATCH keeps versions for EXEC (the
/// Transactions part).
/// </summary>
internal sealed partial class RespConnection
{
    private readonly RespServer _server;
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly ReplySink _sink;
    private readonly List<CacheRequest> _batch = new(16);
    private readonly List<byte[][]> _parsed = new(16);
    private readonly CancellationTokenSource _closing = new();
    private RespParseProgress _parseProgress;
    private bool _unparsedAfterAuthentication;
    private int _batchDatabase;
    private long _nextSequence;
    private long _lastActivity = Environment.TickCount64;
    private byte[]? _lastCommandName;

    public RespConnection(RespServer server, Socket socket, long id)
    {
        _server = server;
        _socket = socket;
        Id = id;
        RemoteAddress = socket.RemoteEndPoint?.ToString() ?? "?";
        LocalAddress = socket.LocalEndPoint?.ToString() ?? "?";
        _stream = new NetworkStream(socket, ownsSocket: true);
        _input = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 16 * 1024));
        _output = PipeWriter.Create(_stream, new StreamPipeWriterOptions(minimumBufferSize: 64 * 1024));
        _sink = new ReplySink(server.System, this);
    }

    public long Id { get; }

    public string RemoteAddress { get; }

    public string LocalAddress { get; }

    public DateTimeOffset ConnectedAt { get; } = DateTimeOffset.UtcNow;

    /// <summary>The database SELECT chose.</summary>
    public int Database { get; set; }

    /// <summary>2 or 3, as HELLO chose.</summary>
    public int Protocol { get; private set; } = 2;

    public string? Name { get; set; }

    public string? LibraryName { get; set; }

    public string? LibraryVersion { get; set; }

    /// <summary>AUTH (or HELLO ... AUTH) succeeded on this connection.</summary>
    public bool Authenticated { get; set; }

    /// <summary>
    /// Whether this connection may run more than AUTH, HELLO, QUIT and RESET now: decided per command, as Redis does,
    /// so a password set or cleared with CONFIG SET applies to connections already open.
    /// </summary>
    public bool MayRunCommands => Authenticated || _server.Settings.RequirePass is null;

    /// <summary>The name of the last command read, as CLIENT LIST shows it.</summary>
    public string LastCommand => Volatile.Read(ref _lastCommandName) is { } name ? System.Text.Encoding.UTF8.GetString(name).ToLowerInvariant() : "NULL";

    public RespServer Server => _server;

    public long IdleMilliseconds => Environment.TickCount64 - Volatile.Read(ref _lastActivity);

    /// <summary>Reads and runs commands until the client leaves, breaks the protocol, or the connection is closed.</summary>
    public async Task RunAsync()
    {
        try
        {
            await ReadLoopAsync();
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away or the connection was closed: nothing is owed to anyone any more.
        }
        finally
        {
            // The read loop is over, so nothing else touches the transaction state: its watches must not pin keys.
            ForgetTransaction();
            CloseAfterLastReply();
            await _outputDone.Task;
            await _input.CompleteAsync();
            _stream.Dispose();
        }
    }

    /// <summary>Closes the connection now (server stop, idle timeout, CLIENT KILL).</summary>
    public Task CloseAsync()
    {
        _closing.Cancel();
        _socket.Dispose();
        return EndOutputAsync(calledByWriter: false);
    }

    public bool IsIdleLongerThan(TimeSpan timeout, long now) =>
        PendingReplies == 0 && now - Volatile.Read(ref _lastActivity) > (long)timeout.TotalMilliseconds;

    private async Task ReadLoopAsync()
    {
        while (true)
        {
            await WaitWhileTooManyRepliesPendingAsync();
            var read = await _input.ReadAsync(_closing.Token);
            Volatile.Write(ref _lastActivity, Environment.TickCount64);
            var buffer = read.Buffer;
            var keepReading = await RunCommandsAsync(buffer);
            if (!keepReading || (read.IsCompleted && !_unparsedAfterAuthentication)) return;
        }
    }

    /// <summary>Runs every whole command in <paramref name="buffer"/>; false once the connection must close.</summary>
    private async ValueTask<bool> RunCommandsAsync(ReadOnlySequence<byte> buffer)
    {
        var protocolError = ParseCommands(buffer);
        try
        {
            foreach (var arguments in _parsed)
            {
                if (!await RunCommandAsync(arguments)) return false;
            }
        }
        finally
        {
            _parsed.Clear();
            FlushBatch();
        }

        if (protocolError is null) return true;
        ReplyAndClose(protocolError);
        return false;
    }

    /// <summary>
    /// Takes every whole command out of <paramref name="buffer"/> into <c>_parsed</c> and releases their bytes;
    /// returns the protocol error that ends the connection, if the bytes after them break the protocol.
    /// </summary>
    private string? ParseCommands(ReadOnlySequence<byte> buffer)
    {
        var limits = _server.Settings.Limits;
        var reader = new SequenceReader<byte>(buffer);
        string? protocolError = null;
        var stoppedForAuthentication = false;
        while (protocolError is null)
        {
            var authenticated = MayRunCommands;
            var status = RespRequestParser.TryParse(ref reader, limits, authenticated, ref _parseProgress, out var arguments, out var error);
            if (status == RespParseStatus.Command)
            {
                _parsed.Add(arguments);
                // What follows an AUTH or HELLO is parsed with the limits of whatever that command makes of the client.
                if (!authenticated && IsAuthentication(arguments[0]))
                {
                    stoppedForAuthentication = true;
                    break;
                }
            }
            else if (status == RespParseStatus.ProtocolError)
            {
                protocolError = error;
            }
            else if (status == RespParseStatus.Incomplete)
            {
                if (RespRequestParser.ExceedsQueryBufferLimit(reader.Remaining, limits)) protocolError = RespRequestParser.QueryBufferLimitExceeded;
                else break;
            }
        }

        // Stopped early, the rest of the buffer is not looked at yet, so the next read must return it without waiting.
        _unparsedAfterAuthentication = stoppedForAuthentication;
        if (stoppedForAuthentication) _input.AdvanceTo(reader.Position);
        else _input.AdvanceTo(reader.Position, buffer.End);
        _server.Statistics.CommandsRead(_parsed.Count);
        return protocolError;
    }

    private static bool IsAuthentication(byte[] name) =>
        System.Text.Ascii.EqualsIgnoreCase(name, "AUTH"u8) || System.Text.Ascii.EqualsIgnoreCase(name, "HELLO"u8);

    /// <summary>Runs one command or queues it for its keyspace; false once the connection must close (QUIT).</summary>
    private async ValueTask<bool> RunCommandAsync(byte[][] arguments)
    {
        _lastCommandName = arguments[0];
        if (FrontEndCommands.TryGet(arguments[0], out var command))
        {
            if (!MayRunCommands && !command.AllowedBeforeAuthentication)
            {
                RefuseUnauthenticated();
                return true;
            }

            // Inside MULTI a wrong number of arguments fails the transaction even for EXEC or WATCH, as in Redis.
            if (_multi.IsOpen && (command.InTransaction != TransactionRole.RunsNow || !command.AcceptsArgumentCount(arguments.Length)))
            {
                QueueInMulti(arguments, command);
                return true;
            }

            FlushBatch();
            var sequence = _nextSequence++;
            var reply = await RunFrontEndCommandAsync(command, arguments);
            if (reply.CloseAfter)
            {
                CloseAfter(sequence);
                Complete(sequence, reply.Reply ?? RedisReply.Ok);
                return false;
            }

            // A command answered later (WATCH, EXEC) handed its sequence number to whoever completes it.
            if (reply.Reply is { } now) Complete(sequence, now);
            return true;
        }

        if (!MayRunCommands)
        {
            RefuseUnauthenticated();
            return true;
        }

        if (_multi.IsOpen)
        {
            QueueInMulti(arguments, frontEnd: null);
            return true;
        }

        if (_batch.Count > 0 && _batchDatabase != Database) FlushBatch();
        _batchDatabase = Database;
        _batch.Add(new CacheRequest(_nextSequence++, Database, arguments));
        return true;
    }

    /// <summary>NOAUTH; inside MULTI, as every refused command, it also makes EXEC fail.</summary>
    private void RefuseUnauthenticated()
    {
        _multi.Flag();
        Complete(_nextSequence++, Replies.NoAuth);
    }

    /// <summary>Runs a front-end command; whatever it throws becomes its error reply, so every command gets an answer.</summary>
    private async ValueTask<FrontEndReply> RunFrontEndCommandAsync(FrontEndCommand command, byte[][] arguments)
    {
        try
        {
            var pending = command.Run(this, arguments);
            return pending.IsCompletedSuccessfully ? pending.Result : await pending;
        }
        catch (Exception ex)
        {
            return new FrontEndReply(RedisReply.Error("ERR " + ex.Message.Replace('\r', ' ').Replace('\n', ' ')));
        }
    }

    /// <summary>Hands the queued data commands to their keyspace in one message.</summary>
    private void FlushBatch()
    {
        if (_batch.Count == 0) return;
        var keyspace = _server.Keyspaces[_batchDatabase];
        if (_batch.Count == 1) keyspace.Tell(_batch[0], _sink);
        else keyspace.Tell(new CacheRequestBatch(_batch.ToArray()), _sink);
        _batch.Clear();
    }

    private void ReplyAndClose(string error)
    {
        var sequence = _nextSequence++;
        CloseAfter(sequence);
        Complete(sequence, RedisReply.Error(error));
    }

    /// <summary>HELLO's protocol switch applies to its own reply and every later one.</summary>
    public void SwitchProtocol(int protocol, long fromSequence)
    {
        Protocol = protocol;
        _protocolSwitches.Enqueue((fromSequence, protocol));
    }

    /// <summary>The sequence number the command being run now was given.</summary>
    public long CurrentSequence => _nextSequence - 1;
}
