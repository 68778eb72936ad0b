using ActorCache.Resp.Protocol;
using Xunit;
using static ActorCache.Tests.Resp.Protocol.RespBytes;

namespace ActorCache.Tests.Resp.Protocol;

public sealed class InlineRequestSpec
{
    private static string Single(string request) => ParseAll(request)[0];

    [Theory]
    [InlineData("PING\r\n", "Command [PING]  6")]
    [InlineData("PING\n", "Command [PING]  5")]
    [InlineData("set  k\tv \r\n", "Command [set|k|v]  11")]
    [InlineData("  GET   a  \n", "Command [GET|a]  12")]
    [InlineData("GET a\r\r\n", "Command [GET|a]  8")]
    [InlineData("GET a\vb\n", "Command [GET|a\vb]  8")]
    public void Inline_words_are_split_on_blanks(string request, string expected)
    {
        Assert.Equal(expected, Single(request));
    }

    [Theory]
    [InlineData("\r\n")]
    [InlineData("\n")]
    [InlineData("   \t \r\n")]
    public void A_blank_inline_line_is_skipped(string request)
    {
        Assert.Equal([$"Skip []  {request.Length}", "Incomplete []  0"], ParseAll(request));
    }

    [Theory]
    [InlineData("SET k \"hello world\"\n", "Command [SET|k|hello world]  20")]
    [InlineData("SET k 'hello world'\n", "Command [SET|k|hello world]  20")]
    [InlineData("SET k \"\"\n", "Command [SET|k|]  9")]
    [InlineData("SET k ''\n", "Command [SET|k|]  9")]
    [InlineData("SET a\"b c\"\n", "Command [SET|ab c]  11")]
    [InlineData("ECHO \"it's\" 'say \"hi\"'\n", "Command [ECHO|it's|say \"hi\"]  23")]
    [InlineData("ECHO \"a\r b\"\n", "Command [ECHO|a\r b]  12")]
    public void Quotes_group_words_like_redis_does(string request, string expected)
    {
        Assert.Equal(expected, Single(request));
    }

    [Fact]
    public void Double_quotes_take_redis_escapes()
    {
        var request = "ECHO \"\\n\\r\\t\\b\\a\\\\\\\"\\x41\\x7a\\xZZ\\q\"\n";

        Assert.Equal($"Command [ECHO|\n\r\t\b\a\\\"AzxZZq]  {request.Length}", Single(request));
    }

    [Fact]
    public void Hex_escapes_give_any_byte()
    {
        Assert.Equal("Command [ECHO|\0\u00ff\u00ab]  21", Single("ECHO \"\\x00\\xff\\xAb\"\r\n"));
    }

    [Fact]
    public void Single_quotes_take_only_an_escaped_single_quote()
    {
        Assert.Equal("Command [ECHO|it's|a\\nb]  21", Single("ECHO 'it\\'s' 'a\\nb'\r\n"));
    }

    [Theory]
    [InlineData("SET k \"abc\n")]
    [InlineData("SET k 'abc\n")]
    [InlineData("SET k \"abc\"def\n")]
    [InlineData("SET k 'abc'def\n")]
    [InlineData("SET k \"abc\\\"\n")]
    public void Unbalanced_quotes_are_the_redis_error(string request)
    {
        Assert.Equal("ProtocolError [] ERR Protocol error: unbalanced quotes in request 0", Single(request));
    }

    [Fact]
    public void An_inline_line_ends_at_a_nul_byte_as_in_redis()
    {
        Assert.Equal("Command [GET|a]  10", Single("GET a\0b c\n"));
    }

    [Fact]
    public void An_inline_line_without_a_newline_waits_until_it_exceeds_the_inline_limit()
    {
        var limits = new RespLimits { MaxInlineLength = 8 };

        Assert.Equal(["Incomplete []  0"], ParseAll("GET abcd", limits));
        Assert.Equal(["Command [GET|abcd]  9"], ParseAll("GET abcd\n", limits).Take(1));
        Assert.Equal(["ProtocolError [] ERR Protocol error: too big inline request 0"], ParseAll("GET abcde", limits));
        Assert.Equal(["ProtocolError [] ERR Protocol error: too big inline request 0"], ParseAll("GET abcde\n", limits));
    }

    [Fact]
    public void The_default_inline_limit_is_64_kib()
    {
        Assert.Equal(["Incomplete []  0"], ParseAll(new string('a', 64 * 1024)));
        Assert.Equal(["ProtocolError [] ERR Protocol error: too big inline request 0"], ParseAll(new string('a', 64 * 1024 + 1)));
    }
}
