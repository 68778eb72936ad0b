using ActorCache.Resp.Protocol;
using Xunit;

namespace ActorCache.Tests.Resp.Protocol;

public sealed class RespLimitsSpec
{
    [Fact]
    public void Defaults_are_the_redis_defaults()
    {
        var limits = new RespLimits();

        Assert.Equal(512L * 1024 * 1024, limits.MaxBulkLength);
        Assert.Equal(1024 * 1024, limits.MaxMultiBulkLength);
        Assert.Equal(64 * 1024, limits.MaxInlineLength);
        Assert.Equal(1024L * 1024 * 1024, limits.MaxQueryBufferLength);
        Assert.Equal(limits, RespLimits.Default);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Every_limit_must_be_positive(int value)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RespLimits { MaxBulkLength = value });
        Assert.Throws<ArgumentOutOfRangeException>(() => new RespLimits { MaxMultiBulkLength = value });
        Assert.Throws<ArgumentOutOfRangeException>(() => new RespLimits { MaxInlineLength = value });
        Assert.Throws<ArgumentOutOfRangeException>(() => new RespLimits { MaxQueryBufferLength = value });
    }

    [Fact]
    public void A_bulk_length_beyond_one_array_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RespLimits { MaxBulkLength = Array.MaxLength + 1L });
        Assert.Equal(Array.MaxLength, new RespLimits { MaxBulkLength = Array.MaxLength }.MaxBulkLength);
    }
}
