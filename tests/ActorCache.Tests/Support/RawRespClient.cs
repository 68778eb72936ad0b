using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ActorCache.Tests.Support;

/// <summary>
/// A RESP client on a plain socket, for specs that must control the exact bytes sent (pipelines, bad frames) and see
/// the exact replies. Each reply is read back as text: "+OK", "-ERR ...", ":1", "$bar" (a bulk string), "$nil",
/// "*[...]" for arrays, "%{...}" for RESP3 maps, "_" for the RESP3 null.
/// </summary>
public sealed class RawRespClient : IDisposable
{
    private readonly TcpClient _tcp;
    private readonly Stream _stream;
    // A guard, not an assertion on speed: a reply that never comes fails the spec instead of hanging the test run.
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(30);
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    private RawRespClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    public static async Task<RawRespClient> ConnectAsync(IPEndPoint endPoint)
    {
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(endPoint.Address, endPoint.Port);
        return new RawRespClient(tcp);
    }

    /// <summary>Sends the bytes as they are.</summary>
    public async Task SendRawAsync(byte[] bytes) => await _stream.WriteAsync(bytes);

    /// <summary>Sends each command as a RESP multibulk, all in one write (a pipeline).</summary>
    public Task SendAsync(params string[][] commands) => SendRawAsync(Encode(commands));

    /// <summary>Sends one command and reads its reply.</summary>
    public async Task<string> CallAsync(params string[] command)
    {
        await SendAsync(command);
        return await ReadReplyAsync();
    }

    public static byte[] Encode(params string[][] commands)
    {
        var text = new StringBuilder();
        foreach (var command in commands)
        {
            text.Append('*').Append(command.Length).Append("\r\n");
            foreach (var argument in command)
            {
                text.Append('$').Append(Encoding.UTF8.GetByteCount(argument)).Append("\r\n").Append(argument).Append("\r\n");
            }
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>Reads the next reply; throws <see cref="EndOfStreamException"/> if the server closed the connection.</summary>
    public async Task<string> ReadReplyAsync()
    {
        var line = await ReadLineAsync();
        var payload = line[1..];
        switch (line[0])
        {
            case '+' or '-' or ':' or '_' or ',' or '#':
                return line;
            case '$':
                var length = int.Parse(payload, CultureInfo.InvariantCulture);
                if (length < 0) return "$nil";
                var bytes = await ReadExactlyAsync(length + 2);
                return "$" + Encoding.UTF8.GetString(bytes, 0, length);
            case '*' or '%':
                var count = int.Parse(payload, CultureInfo.InvariantCulture);
                if (count < 0) return "*nil";
                var items = new List<string>();
                for (var i = 0; i < (line[0] == '%' ? 2 * count : count); i++) items.Add(await ReadReplyAsync());
                return line[0] == '*' ? $"*[{string.Join(", ", items)}]" : $"%{{{string.Join(", ", items)}}}";
            default:
                throw new InvalidDataException($"not a RESP reply: {line}");
        }
    }

    /// <summary>True once the server has closed the connection (reads end) with nothing more to read.</summary>
    public async Task<bool> IsClosedByServerAsync()
    {
        if (_start < _end) return false;
        try
        {
            using var timeout = new CancellationTokenSource(ReplyTimeout);
            return await _stream.ReadAsync(_buffer, timeout.Token) == 0;
        }
        catch (IOException)
        {
            return true;
        }
    }

    public void Dispose() => _tcp.Dispose();

    private async Task<string> ReadLineAsync()
    {
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline > _start && _buffer[newline - 1] == '\r')
            {
                var line = Encoding.UTF8.GetString(_buffer, _start, newline - 1 - _start);
                _start = newline + 1;
                return line;
            }

            await FillAsync();
        }
    }

    private async Task<byte[]> ReadExactlyAsync(int count)
    {
        var result = new byte[count];
        var copied = 0;
        while (copied < count)
        {
            if (_start == _end) await FillAsync();
            var n = Math.Min(count - copied, _end - _start);
            Array.Copy(_buffer, _start, result, copied, n);
            _start += n;
            copied += n;
        }

        return result;
    }

    private async Task FillAsync()
    {
        if (_start > 0)
        {
            Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length) throw new InvalidDataException("a reply line longer than the test client's buffer");
        using var timeout = new CancellationTokenSource(ReplyTimeout);
        var read = await _stream.ReadAsync(_buffer.AsMemory(_end), timeout.Token);
        if (read == 0) throw new EndOfStreamException("the server closed the connection");
        _end += read;
    }
}
