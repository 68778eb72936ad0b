using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ActorCache.Benchmarks.LargerThanMemory;

/// <summary>The kind of one RESP reply.</summary>
public enum ReplyKind
{
    Simple,
    Error,
    Integer,
    Bulk,
    Nil,
    Array,
}

/// <summary>A raw RESP2 connection to 127.0.0.1 with its own read buffer; requests are written pre-encoded.</summary>
public sealed class RespConnection : IDisposable
{
    private readonly Socket _socket;
    private byte[] _buffer = new byte[64 * 1024];
    private int _pos;
    private int _len;

    private RespConnection(Socket socket) => _socket = socket;

    /// <summary>Text of the last bulk reply read with capture on, or of the last error.</summary>
    public string? LastText { get; private set; }

    public static async Task<RespConnection> ConnectAsync(int port, CancellationToken ct)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), ct);
            return new RespConnection(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        while (!data.IsEmpty)
        {
            var n = await _socket.SendAsync(data, SocketFlags.None, ct);
            data = data[n..];
        }
    }

    /// <summary>Reads one reply (nested arrays are skipped whole); bulk text is kept in <see cref="LastText"/> if asked.</summary>
    public async ValueTask<ReplyKind> ReadReplyAsync(bool capture, CancellationToken ct)
    {
        var (type, value) = await ReadHeaderAsync(ct);
        switch (type)
        {
            case (byte)'+':
                return ReplyKind.Simple;
            case (byte)'-':
                LastText = value;
                return ReplyKind.Error;
            case (byte)':':
                return ReplyKind.Integer;
            case (byte)'$':
            {
                var n = int.Parse(value);
                if (n < 0) return ReplyKind.Nil;
                await EnsureAsync(n + 2, ct);
                if (capture) LastText = Encoding.UTF8.GetString(_buffer, _pos, n);
                _pos += n + 2;
                return ReplyKind.Bulk;
            }
            case (byte)'*':
            {
                var n = int.Parse(value);
                for (var i = 0; i < n; i++) await ReadReplyAsync(false, ct);
                return n < 0 ? ReplyKind.Nil : ReplyKind.Array;
            }
            default:
                throw new InvalidDataException($"unexpected RESP type byte 0x{type:x2}");
        }
    }

    public void Dispose() => _socket.Dispose();

    private async ValueTask<(byte Type, string Value)> ReadHeaderAsync(CancellationToken ct)
    {
        while (true)
        {
            var span = _buffer.AsSpan(_pos, _len - _pos);
            var lf = span.IndexOf((byte)'\n');
            if (lf >= 1)
            {
                var type = span[0];
                var value = Encoding.ASCII.GetString(span[1..(lf - 1)]);
                _pos += lf + 1;
                return (type, value);
            }

            await FillAsync(ct);
        }
    }

    private async ValueTask EnsureAsync(int count, CancellationToken ct)
    {
        while (_len - _pos < count) await FillAsync(ct);
    }

    private async ValueTask FillAsync(CancellationToken ct)
    {
        if (_pos > 0)
        {
            Buffer.BlockCopy(_buffer, _pos, _buffer, 0, _len - _pos);
            _len -= _pos;
            _pos = 0;
        }

        if (_len == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
        var n = await _socket.ReceiveAsync(_buffer.AsMemory(_len), SocketFlags.None, ct);
        if (n == 0) throw new IOException("connection closed by the server");
        _len += n;
    }
}

/// <summary>
/// Encodes GET and SET requests for fixed-width keys "k0000000042" into a reusable buffer; a SET of key k writes
/// values[k % values.Length], so stored values differ and do not compress away.
/// </summary>
public sealed class RequestWriter
{
    public const int KeyLength = 11;
    private readonly byte[][] _values;
    private readonly byte[] _buffer;
    private readonly byte[] _setHead;
    private readonly byte[] _getHead;
    private int _len;

    public RequestWriter(byte[][] values, int maxRequests)
    {
        _values = values;
        var value = values[0];
        _setHead = Encoding.ASCII.GetBytes($"*3\r\n$3\r\nSET\r\n${KeyLength}\r\n");
        _getHead = Encoding.ASCII.GetBytes($"*2\r\n$3\r\nGET\r\n${KeyLength}\r\n");
        _valueHead = Encoding.ASCII.GetBytes($"\r\n${value.Length}\r\n");
        _buffer = new byte[maxRequests * (_setHead.Length + KeyLength + _valueHead.Length + value.Length + 2)];
    }

    private readonly byte[] _valueHead;

    public ReadOnlyMemory<byte> Written => _buffer.AsMemory(0, _len);

    public void Clear() => _len = 0;

    public void Get(int key)
    {
        Append(_getHead);
        AppendKey(key);
        Append("\r\n"u8);
    }

    public void Set(int key)
    {
        Append(_setHead);
        AppendKey(key);
        Append(_valueHead);
        Append(_values[key % _values.Length]);
        Append("\r\n"u8);
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_buffer.AsSpan(_len));
        _len += bytes.Length;
    }

    private void AppendKey(int key)
    {
        _buffer[_len] = (byte)'k';
        for (var i = KeyLength - 1; i >= 1; i--)
        {
            _buffer[_len + i] = (byte)('0' + key % 10);
            key /= 10;
        }

        _len += KeyLength;
    }
}
