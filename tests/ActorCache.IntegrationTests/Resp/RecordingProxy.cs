using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ActorCache.IntegrationTests.Resp;

/// <summary>
/// A TCP proxy in front of the node that records every command clients send and every error the node answers, so a
/// spec can see what StackExchange.Redis says during its handshake and which of it the node refuses.
/// </summary>
internal sealed class RecordingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<TcpClient> _sockets = [];
    private readonly Task _accepting;

    public RecordingProxy(IPEndPoint target)
    {
        _target = target;
        _listener.Start();
        _accepting = Task.Run(AcceptAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Every command sent, as "NAME arg arg" (arguments cut to 40 characters), per connection in order.</summary>
    public ConcurrentQueue<string> Commands { get; } = new();

    /// <summary>Every error reply of the node (RESP "-" and RESP3 "!"), in order per connection.</summary>
    public ConcurrentQueue<string> Errors { get; } = new();

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        foreach (var socket in _sockets) socket.Dispose();
        try
        {
            await _accepting;
        }
        catch (Exception)
        {
            // Stopping.
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            var server = new TcpClient();
            await server.ConnectAsync(_target);
            _sockets.Add(client);
            _sockets.Add(server);
            _ = PumpAsync(client.GetStream(), server.GetStream(), ReadCommand);
            _ = PumpAsync(server.GetStream(), client.GetStream(), ReadReply);
        }
    }

    /// <summary>Copies bytes from one side to the other, and feeds a copy to a RESP reader.</summary>
    private async Task PumpAsync(Stream from, Stream to, Action<RespReader> parse)
    {
        var reader = new RespReader();
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReadAsync(buffer, _stop.Token);
                if (read == 0) break;
                await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
                reader.Append(buffer.AsSpan(0, read));
                while (reader.TryTake(out _)) parse(reader);
            }
        }
        catch (Exception)
        {
            // A side closed; the other is closed with the proxy.
        }
        finally
        {
            to.Close();
        }
    }

    private void ReadCommand(RespReader reader)
    {
        if (reader.LastValue is List<object?> parts && parts.Count > 0)
        {
            Commands.Enqueue(string.Join(' ', parts.Select((p, i) => i == 0 ? Text(p).ToUpperInvariant() : Cut(Text(p)))));
        }
    }

    private void ReadReply(RespReader reader) => CollectErrors(reader.LastValue);

    private void CollectErrors(object? value)
    {
        switch (value)
        {
            case RespError error:
                Errors.Enqueue(error.Message);
                break;
            case List<object?> items:
                foreach (var item in items) CollectErrors(item);
                break;
        }
    }

    private static string Text(object? value) => value is byte[] bytes ? Encoding.UTF8.GetString(bytes) : value?.ToString() ?? "(nil)";

    private static string Cut(string text) => text.Length <= 40 ? text : text[..40] + "...";

    private sealed record RespError(string Message);

    /// <summary>A small RESP2/RESP3 reader: enough to split a byte stream into values.</summary>
    private sealed class RespReader
    {
        private readonly List<byte> _bytes = [];

        public object? LastValue { get; private set; }

        public void Append(ReadOnlySpan<byte> data) => _bytes.AddRange(data);

        public bool TryTake(out object? value)
        {
            var position = 0;
            if (!TryParse(ref position, out value)) return false;
            _bytes.RemoveRange(0, position);
            LastValue = value;
            return true;
        }

        private bool TryParse(ref int position, out object? value)
        {
            value = null;
            if (!TryLine(ref position, out var line)) return false;
            var type = line[0];
            var rest = line[1..];
            switch (type)
            {
                case '+' or ':' or ',' or '#' or '(' or '_':
                    value = rest;
                    return true;
                case '-':
                    value = new RespError(rest);
                    return true;
                case '$' or '!' or '=':
                    var length = int.Parse(rest);
                    if (length < 0) return true;
                    if (_bytes.Count < position + length + 2) return false;
                    var bytes = _bytes.GetRange(position, length).ToArray();
                    position += length + 2;
                    value = type == '!' ? new RespError(Encoding.UTF8.GetString(bytes)) : bytes;
                    return true;
                case '*' or '~' or '>' or '%' or '|':
                    var count = int.Parse(rest);
                    if (count < 0) return true;
                    if (type is '%' or '|') count *= 2;
                    var items = new List<object?>(count);
                    for (var i = 0; i < count; i++)
                    {
                        if (!TryParse(ref position, out var item)) return false;
                        items.Add(item);
                    }

                    if (type == '|') return TryParse(ref position, out value);
                    value = items;
                    return true;
                default:
                    // An inline command: the words of one line.
                    value = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Cast<object?>().ToList();
                    return true;
            }
        }

        private bool TryLine(ref int position, out string line)
        {
            line = "";
            for (var i = position; i + 1 < _bytes.Count; i++)
            {
                if (_bytes[i] != '\r' || _bytes[i + 1] != '\n') continue;
                line = Encoding.UTF8.GetString(_bytes.GetRange(position, i - position).ToArray());
                position = i + 2;
                return true;
            }

            return false;
        }
    }
}
