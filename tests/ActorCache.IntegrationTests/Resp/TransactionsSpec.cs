using StackExchange.Redis;
using Xunit;

namespace ActorCache.IntegrationTests.Resp;

/// <summary>
/// StackExchange.Redis transactions against the real server process: its conditions become WATCH plus a check, then
/// MULTI ... EXEC, so a condition that holds applies everything and one that fails applies nothing.
/// </summary>
public sealed class TransactionsSpec : RespSpec
{
    [Fact]
    public async Task A_transaction_whose_condition_holds_applies_every_command()
    {
        var db = await DatabaseAsync();
        await db.StringSetAsync("version", "1");

        var transaction = db.CreateTransaction();
        var holds = transaction.AddCondition(Condition.StringEqual("version", "1"));
        var set = transaction.StringSetAsync("version", "2");
        var edits = transaction.StringIncrementAsync("edits");

        Assert.True(await transaction.ExecuteAsync());
        Assert.True(holds.WasSatisfied);
        Assert.True(await set);
        Assert.Equal(1, await edits);
        Assert.Equal("2", (string?)await db.StringGetAsync("version"));
    }

    [Fact]
    public async Task A_transaction_whose_condition_fails_applies_nothing()
    {
        var db = await DatabaseAsync();
        await db.StringSetAsync("version", "7");

        var transaction = db.CreateTransaction();
        var holds = transaction.AddCondition(Condition.StringEqual("version", "1"));
        _ = transaction.StringSetAsync("version", "2");
        _ = transaction.StringIncrementAsync("edits");

        Assert.False(await transaction.ExecuteAsync());
        Assert.False(holds.WasSatisfied);
        Assert.Equal("7", (string?)await db.StringGetAsync("version"));
        Assert.False(await db.KeyExistsAsync("edits"));
        // The connection is fine afterwards: a plain transaction runs.
        var next = db.CreateTransaction();
        var incremented = next.StringIncrementAsync("edits");
        Assert.True(await next.ExecuteAsync());
        Assert.Equal(1, await incremented);
    }
}
