using System.Buffers;
using System.Text;
using ActorCache.Protocol;
using ActorCache.Resp.Protocol;
using Xunit;

namespace ActorCache.Tests.Resp.Protocol;

public sealed class RespReplyWriterSpec
{
    private static string Written(RedisReply reply, int protocolVersion)
    {
        var output = new ArrayBufferWriter<byte>();
        RespReplyWriter.Write(output, reply, protocolVersion);
        return Encoding.Latin1.GetString(output.WrittenSpan);
    }

    private static RedisReply Bulk(string text) => RedisReply.Bulk(text);

    public static TheoryData<RedisReply, string, string> Replies => new()
    {
        { RedisReply.Ok, "+OK\r\n", "+OK\r\n" },
        { new SimpleStringReply("PONG"), "+PONG\r\n", "+PONG\r\n" },
        { new SimpleStringReply(""), "+\r\n", "+\r\n" },
        { RedisReply.Error("ERR syntax error"), "-ERR syntax error\r\n", "-ERR syntax error\r\n" },
        { RedisReply.Zero, ":0\r\n", ":0\r\n" },
        { RedisReply.One, ":1\r\n", ":1\r\n" },
        { new IntegerReply(0), ":0\r\n", ":0\r\n" },
        { RedisReply.Integer(-42), ":-42\r\n", ":-42\r\n" },
        { RedisReply.Integer(long.MaxValue), ":9223372036854775807\r\n", ":9223372036854775807\r\n" },
        { RedisReply.Integer(long.MinValue), ":-9223372036854775808\r\n", ":-9223372036854775808\r\n" },
        { Bulk("hello"), "$5\r\nhello\r\n", "$5\r\nhello\r\n" },
        { Bulk(""), "$0\r\n\r\n", "$0\r\n\r\n" },
        { RedisReply.Bulk(new byte[] { 0, 13, 10, 255 }), "$4\r\n\0\r\n\u00ff\r\n", "$4\r\n\0\r\n\u00ff\r\n" },
        { RedisReply.Nil, "$-1\r\n", "_\r\n" },
        { RedisReply.NilArray, "*-1\r\n", "_\r\n" },
        { RedisReply.EmptyArray, "*0\r\n", "*0\r\n" },
        {
            new ArrayReply([Bulk("a"), RedisReply.Nil, RedisReply.Integer(7)]),
            "*3\r\n$1\r\na\r\n$-1\r\n:7\r\n", "*3\r\n$1\r\na\r\n_\r\n:7\r\n"
        },
        {
            new ArrayReply([new ArrayReply([Bulk("x")]), RedisReply.NilArray, RedisReply.EmptyArray]),
            "*3\r\n*1\r\n$1\r\nx\r\n*-1\r\n*0\r\n", "*3\r\n*1\r\n$1\r\nx\r\n_\r\n*0\r\n"
        },
        {
            new MapReply([(Bulk("server"), Bulk("redis")), (Bulk("proto"), RedisReply.Integer(3))]),
            "*4\r\n$6\r\nserver\r\n$5\r\nredis\r\n$5\r\nproto\r\n:3\r\n", "%2\r\n$6\r\nserver\r\n$5\r\nredis\r\n$5\r\nproto\r\n:3\r\n"
        },
        { new MapReply([]), "*0\r\n", "%0\r\n" },
        {
            new MapReply([(Bulk("k"), new ArrayReply([RedisReply.Nil])), (Bulk("n"), RedisReply.Nil)]),
            "*4\r\n$1\r\nk\r\n*1\r\n$-1\r\n$1\r\nn\r\n$-1\r\n", "%2\r\n$1\r\nk\r\n*1\r\n_\r\n$1\r\nn\r\n_\r\n"
        },
        { new ArrayReply([new MapReply([(Bulk("a"), RedisReply.One)])]), "*1\r\n*2\r\n$1\r\na\r\n:1\r\n", "*1\r\n%1\r\n$1\r\na\r\n:1\r\n" },
    };

    [Theory]
    [MemberData(nameof(Replies))]
    public void Every_reply_kind_has_its_exact_bytes_in_resp2_and_resp3(RedisReply reply, string resp2, string resp3)
    {
        Assert.Equal(resp2, Written(reply, 2));
        Assert.Equal(resp3, Written(reply, 3));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Line_breaks_inside_status_and_error_replies_become_spaces(int protocolVersion)
    {
        Assert.Equal("+a  b c\r\n", Written(new SimpleStringReply("a\r\nb\rc"), protocolVersion));
        Assert.Equal("-ERR bad  input\r\n", Written(RedisReply.Error("ERR bad\r\ninput"), protocolVersion));
    }

    [Fact]
    public void Status_and_error_text_is_written_as_utf8()
    {
        var output = new ArrayBufferWriter<byte>();
        RespReplyWriter.Write(output, new SimpleStringReply("héllo"), 2);

        Assert.Equal("+h\u00c3\u00a9llo\r\n", Encoding.Latin1.GetString(output.WrittenSpan));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4095)]
    [InlineData(4096)]
    [InlineData(4097)]
    [InlineData(1 << 20)]
    public void A_bulk_value_of_any_size_is_written_whole(int length)
    {
        var value = Enumerable.Range(0, length).Select(i => (byte)i).ToArray();
        var output = new ArrayBufferWriter<byte>(16);

        RespReplyWriter.Write(output, RedisReply.Bulk(value), 2);

        var header = Encoding.ASCII.GetBytes($"${value.Length}\r\n");
        Assert.Equal(header.Concat(value).Concat("\r\n"u8.ToArray()).ToArray(), output.WrittenSpan.ToArray());
    }

    [Fact]
    public void Replies_append_after_what_the_buffer_already_holds()
    {
        var output = new ArrayBufferWriter<byte>();

        RespReplyWriter.Write(output, RedisReply.Ok, 2);
        RespReplyWriter.Write(output, RedisReply.Nil, 3);
        RespReplyWriter.Write(output, RedisReply.Integer(12345), 2);

        Assert.Equal("+OK\r\n_\r\n:12345\r\n", Encoding.Latin1.GetString(output.WrittenSpan));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4)]
    public void Only_protocol_versions_2_and_3_are_written(int protocolVersion)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RespReplyWriter.Write(new ArrayBufferWriter<byte>(), RedisReply.Ok, protocolVersion));
    }
}
