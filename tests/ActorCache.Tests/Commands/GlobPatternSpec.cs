using System.Text;
using ActorCache.Commands;
using Xunit;
using Xunit.Abstractions;

namespace ActorCache.Tests.Commands;

/// <summary>
/// KEYS and SCAN MATCH use Redis's glob rules, corner cases included. The expected matches were produced by
/// redis-server 7.0.15 (KEYS over a database holding each candidate key).
/// </summary>
public sealed class GlobPatternSpec(ITestOutputHelper output) : CommandNodeSpec(output)
{
    private static readonly string[] Candidates =
    [
        "", "hello", "hallo", "hbllo", "hxllo", "hllo", "heeeello", "a", "]", "-", "b", "^", "a]", "*", "?", "h[a]llo",
        "ab", "aab", "[", "\\", "a\\", "ba", "abcabd",
    ];

    [Theory]
    [InlineData("**", "hello", "hallo", "hbllo", "hxllo", "hllo", "heeeello", "a", "]", "-", "b", "^", "a]", "*", "?", "h[a]llo", "ab", "aab", "[", "\\", "a\\", "ba", "abcabd")]
    [InlineData("?", "a", "]", "-", "b", "^", "*", "?", "[", "\\")]
    [InlineData("h?llo", "hello", "hallo", "hbllo", "hxllo")]
    [InlineData("h*llo", "hello", "hallo", "hbllo", "hxllo", "hllo", "heeeello", "h[a]llo")]
    [InlineData("h[ae]llo", "hello", "hallo")]
    [InlineData("h[^e]llo", "hallo", "hbllo", "hxllo")]
    [InlineData("h[a-b]llo", "hallo", "hbllo")]
    [InlineData("h[b-a]llo", "hallo", "hbllo")]
    [InlineData("[a-]", "a", "]", "^")]
    [InlineData("[a-]]", "a", "]", "^")]
    [InlineData("[]")]
    [InlineData("[\\]]", "]")]
    [InlineData("\\*", "*")]
    [InlineData("a\\", "a\\")]
    [InlineData("[")]
    [InlineData("[a", "a")]
    [InlineData("*a*b*", "ab", "aab", "abcabd")]
    [InlineData("a*", "a", "a]", "ab", "aab", "a\\", "abcabd")]
    [InlineData("*a", "a", "ba")]
    [InlineData("[^", "a", "]", "-", "b", "^", "*", "?", "[", "\\")]
    [InlineData("\\?", "?")]
    [InlineData("h\\[a\\]llo", "h[a]llo")]
    [InlineData("[[]", "[")]
    [InlineData("*[")]
    [InlineData("a[")]
    [InlineData("[\\", "\\")]
    [InlineData("[^]]", "a]")]
    [InlineData("[]a]")]
    [InlineData("*b?", "ba", "abcabd")]
    [InlineData("a*b*d", "abcabd")]
    [InlineData("*abd", "abcabd")]
    [InlineData("???", "aab")]
    [InlineData("[!a]", "a")]
    [InlineData("[a-c-e]", "a", "-", "b")]
    [InlineData("[\\-]", "-")]
    [InlineData("*\\", "\\", "a\\")]
    public void A_pattern_matches_exactly_the_keys_redis_matches(string pattern, params string[] expected)
    {
        var matched = Candidates.Where(key => GlobPattern.IsMatch(Encoding.UTF8.GetBytes(pattern), Encoding.UTF8.GetBytes(key)));

        Assert.Equal(expected.Order(StringComparer.Ordinal), matched.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_empty_key_matches_only_the_empty_pattern()
    {
        Assert.True(GlobPattern.IsMatch([], []));
        Assert.False(GlobPattern.IsMatch("*"u8, []));
        Assert.False(GlobPattern.IsMatch("?"u8, []));
        Assert.False(GlobPattern.IsMatch([], "a"u8));
    }

    [Fact]
    public void Matching_is_by_bytes_and_case_sensitive()
    {
        Assert.True(GlobPattern.IsMatch([(byte)'a', 0, (byte)'*'], [(byte)'a', 0, 0xFF, 0xFE]));
        Assert.True(GlobPattern.IsMatch([(byte)'?', (byte)'?'], "é"u8));
        Assert.False(GlobPattern.IsMatch("Hello"u8, "hello"u8));
        Assert.False(GlobPattern.IsMatch("h[A-Z]llo"u8, "hello"u8));
    }

    [Fact]
    public void Range_bounds_compare_as_signed_chars_as_redis_on_x86_64()
    {
        // 'a'..0xFF is, in signed chars, -1..97: it holds 0x00..'a' and 0xFF but not 'b' or 0x80.
        byte[] pattern = [(byte)'[', (byte)'a', (byte)'-', 0xFF, (byte)']'];

        Assert.True(GlobPattern.IsMatch(pattern, "A"u8));
        Assert.True(GlobPattern.IsMatch(pattern, [0xFF]));
        Assert.False(GlobPattern.IsMatch(pattern, "b"u8));
        Assert.False(GlobPattern.IsMatch(pattern, [0x80]));
    }

    [Fact]
    public void A_pattern_of_many_stars_against_a_long_key_answers_at_once()
    {
        var pattern = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("a*", 50)) + "b");
        var key = Encoding.ASCII.GetBytes(new string('a', 10_000));

        Assert.False(GlobPattern.IsMatch(pattern, key));
    }

    [Fact]
    public async Task Keys_and_scan_match_apply_the_same_rules()
    {
        var client = await StartAsync();
        foreach (var key in Candidates) await client.ExecuteAsync("SET", key, "v");

        foreach (var pattern in (string[])["h[^e]llo", "[a-]", "*a*b*", "[^]]", "\\?", "**"])
        {
            var expected = Candidates.Where(k => GlobPattern.IsMatch(Encoding.UTF8.GetBytes(pattern), Encoding.UTF8.GetBytes(k)))
                .Order(StringComparer.Ordinal).ToArray();
            Assert.Equal(expected, KeysIn(await client.ExecuteAsync("KEYS", pattern)));
            Assert.Equal(expected, Texts(await ScanAllAsync(client, "MATCH", pattern, "COUNT", "5")));
        }
    }
}
