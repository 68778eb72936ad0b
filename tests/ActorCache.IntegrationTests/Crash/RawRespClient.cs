using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ActorCache.IntegrationTests.Crash;

/// <summary>A RESP2 reply as read off the wire.</summary>
internal abstract record RespReply;

internal sealed record RespSimple(string Text) : RespReply;

internal sealed record RespError(string Text) : RespReply;

internal sealed record RespInteger(long Value) : RespReply;

/// <summary>A bulk string; <see cref="Text"/> is null for the nil bulk.</summary>
internal sealed record RespBulk(string? Text) : RespReply;

/// <summary>An array; <see cref="Items"/> is null for the nil array.</summary>
internal sealed record RespArray(RespReply[]? Items) : RespReply
{
    public override string ToString() => Items is null ? "(nil array)" : "[" + string.Join(", ", Items.Select(i => i.ToString())) + "]";
}

/// <summary>
/// One RESP connection on a plain socket to 127.0.0.1: commands are encoded into one buffer and sent in one go (a
/// pipeline), replies are read one by one in order. Nothing is hidden (no reconnect, no retry, no backlog), so the
/// caller knows exactly which replies arrived before the connection died.
/// </summary>
internal sealed class RawRespClient : IDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    private RawRespClient(Socket socket) => _socket = socket;

    public static async Task<RawRespClient> ConnectAsync(int port, CancellationToken cancellation)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellation);
            return new RawRespClient(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Appends one command as a RESP array of bulk strings.</summary>
    public static void Encode(ArrayBufferWriter<byte> into, params string[] arguments)
    {
        Write(into, $"*{arguments.Length}\r\n");
        foreach (var argument in arguments)
        {
            var bytes = Encoding.UTF8.GetBytes(argument);
            Write(into, $"${bytes.Length}\r\n");
            into.Write(bytes);
            Write(into, "\r\n");
        }
    }

    private static void Write(ArrayBufferWriter<byte> into, string ascii) => into.Write(Encoding.ASCII.GetBytes(ascii));

    public async Task SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellation)
    {
        while (!data.IsEmpty)
        {
            var sent = await _socket.SendAsync(data, SocketFlags.None, cancellation);
            data = data[sent..];
        }
    }

    /// <summary>Sends one command and reads its reply (for the checks, not for the load).</summary>
    public async Task<RespReply> CallAsync(CancellationToken cancellation, params string[] arguments)
    {
        var command = new ArrayBufferWriter<byte>();
        Encode(command, arguments);
        await SendAsync(command.WrittenMemory, cancellation);
        return await ReadAsync(cancellation);
    }

    /// <summary>The next reply; <see cref="EndOfStreamException"/> when the server closed (or died).</summary>
    public async Task<RespReply> ReadAsync(CancellationToken cancellation)
    {
        var line = await ReadLineAsync(cancellation);
        if (line.Length == 0) throw new InvalidDataException("empty RESP line");
        var rest = line[1..];
        switch (line[0])
        {
            case '+':
                return new RespSimple(rest);
            case '-':
                return new RespError(rest);
            case ':':
                return new RespInteger(long.Parse(rest, CultureInfo.InvariantCulture));
            case '$':
            {
                var length = int.Parse(rest, CultureInfo.InvariantCulture);
                if (length < 0) return new RespBulk(null);
                var bytes = await ReadExactAsync(length + 2, cancellation);
                if (bytes[length] != '\r' || bytes[length + 1] != '\n') throw new InvalidDataException("bulk string without CRLF");
                return new RespBulk(Encoding.UTF8.GetString(bytes, 0, length));
            }

            case '*':
            {
                var count = int.Parse(rest, CultureInfo.InvariantCulture);
                if (count < 0) return new RespArray(null);
                var items = new RespReply[count];
                for (var i = 0; i < count; i++) items[i] = await ReadAsync(cancellation);
                return new RespArray(items);
            }

            default:
                throw new InvalidDataException($"unexpected RESP line \"{line}\"");
        }
    }

    private async Task<string> ReadLineAsync(CancellationToken cancellation)
    {
        while (true)
        {
            var found = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (found >= 0)
            {
                if (found == _start || _buffer[found - 1] != '\r') throw new InvalidDataException("a RESP line ending without CRLF");
                var line = Encoding.ASCII.GetString(_buffer, _start, found - 1 - _start);
                _start = found + 1;
                return line;
            }

            await FillAsync(cancellation);
        }
    }

    private async Task<byte[]> ReadExactAsync(int count, CancellationToken cancellation)
    {
        var result = new byte[count];
        var copied = 0;
        while (copied < count)
        {
            if (_start == _end) await FillAsync(cancellation);
            var take = Math.Min(count - copied, _end - _start);
            Buffer.BlockCopy(_buffer, _start, result, copied, take);
            _start += take;
            copied += take;
        }

        return result;
    }

    private async Task FillAsync(CancellationToken cancellation)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length) throw new InvalidDataException("a RESP line longer than the read buffer");
        var read = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cancellation);
        if (read == 0) throw new EndOfStreamException("the server closed the connection");
        _end += read;
    }

    public void Dispose() => _socket.Dispose();
}
