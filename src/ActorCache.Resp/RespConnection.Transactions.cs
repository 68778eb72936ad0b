using ActorCache.Commands;
using ActorCache.Keyspace;
using ActorCache.Protocol;
using ActorCache.Resp.Commands;
using Akka.Actor;

namespace ActorCache.Resp;

// MULTI/EXEC and WATCH (DESIGN.md section 2 "Transactions"). Between MULTI and EXEC, data commands are checked against
// the command table and queued here (+QUEUED); EXEC hands them to the keyspace of the selected database as one
// transaction, which runs them back to back. WATCH asks the keyspace for each key's version (the keyspace then keeps
// the key in memory and counts its writes); EXEC lists those versions, and the keyspace runs nothing if one changed.
// Every watch is released exactly once: by EXEC, or by UNWATCH / DISCARD / RESET / the connection's end.
//
// Watches in a database other than EXEC's are checked just before the transaction is sent (an empty transaction in
// their keyspace, which also releases them), so a change there after that check and before the transaction runs is
// not seen: across databases WATCH is checked, but not atomically with EXEC.
internal sealed partial class RespConnection
{
    private readonly MultiState _multi = new();
    private readonly List<WatchRequest> _watches = [];

    /// <summary>Between MULTI and EXEC.</summary>
    public bool InMulti => _multi.IsOpen;

    /// <summary>Commands queued in the open MULTI, -1 outside one (CLIENT LIST's <c>multi=</c>).</summary>
    public int QueuedInMulti => _multi.QueuedCount;

    public RedisReply BeginMulti()
    {
        if (_multi.IsOpen) return Replies.NestedMulti;
        _multi.Begin();
        return RedisReply.Ok;
    }

    public RedisReply DiscardMulti()
    {
        if (!_multi.IsOpen) return Replies.DiscardWithoutMulti;
        _multi.Clear();
        ReleaseWatches();
        return RedisReply.Ok;
    }

    /// <summary>WATCH key...: answered +OK by the <see cref="WatchRequest"/> once the keyspace has the versions.</summary>
    public ValueTask<FrontEndReply> Watch(byte[][] arguments)
    {
        if (_multi.IsOpen) return new FrontEndReply(Replies.WatchInsideMulti);
        var watch = new WatchRequest(this, CurrentSequence, Database, arguments[1..], _server.Keyspaces[Database]);
        _watches.Add(watch);
        watch.Send(arguments);
        return FrontEndReply.AnsweredLater;
    }

    /// <summary>Releases every watch of the connection (UNWATCH, and after DISCARD, RESET and the connection's end).</summary>
    public void ReleaseWatches()
    {
        foreach (var watch in _watches) watch.Release();
        _watches.Clear();
    }

    /// <summary>RESET and the connection's end: no MULTI, no watch.</summary>
    public void ForgetTransaction()
    {
        _multi.Clear();
        ReleaseWatches();
    }

    /// <summary>
    /// EXEC: EXECABORT if queueing failed; a nil array if a watched key changed; otherwise the transaction goes to the
    /// keyspace, whose reply (each command's reply) completes this command's place in the reply order.
    /// </summary>
    public async ValueTask<FrontEndReply> ExecAsync()
    {
        if (!_multi.IsOpen) return Replies.ExecWithoutMulti;
        var watches = _watches.ToArray();
        _watches.Clear();
        if (_multi.HasErrors)
        {
            _multi.Clear();
            foreach (var watch in watches) watch.Release();
            return Replies.ExecAbort;
        }

        var queued = _multi.End();
        var sequence = CurrentSequence;
        var database = Database;
        try
        {
            // A WATCH pipelined just before may not be answered yet, and its versions are needed now.
            await Task.WhenAll(watches.Select(w => w.Answered)).WaitAsync(_closing.Token);
        }
        catch (OperationCanceledException)
        {
            foreach (var watch in watches) watch.Release();
            throw;
        }

        var here = watches.Where(w => w.Database == database).ToArray();
        var elsewhere = watches.Where(w => w.Database != database).ToArray();
        // A WATCH that failed holds nothing, so nothing vouches that its keys are unchanged.
        var unchanged = Array.TrueForAll(watches, w => w.Versions is not null);
        if (!unchanged)
        {
            foreach (var watch in elsewhere) watch.Release();
        }
        else if (elsewhere.Length > 0)
        {
            try
            {
                unchanged = await UnchangedElsewhereAsync(elsewhere);
            }
            catch (OperationCanceledException)
            {
                foreach (var watch in here) watch.Release();
                throw;
            }
        }

        if (!unchanged)
        {
            foreach (var watch in here) watch.Release();
            return RedisReply.NilArray;
        }

        var transaction = new CacheTransaction(sequence, database, queued.Commands, []);
        var versions = here.SelectMany(w => w.Versions!).ToArray();
        IActorRef replyTo = queued.FrontEndReplies.Length == 0
            ? _sink
            : new ReplyCallback(_server.System, reply => Complete(sequence, queued.Merge(reply)));
        _server.Keyspaces[database].Tell(versions.Length == 0 ? transaction : new ExecTransaction(transaction, versions), replyTo);
        return FrontEndReply.AnsweredLater;
    }

    /// <summary>
    /// Checks (and releases) watches of other databases with an empty transaction in each of their keyspaces: it
    /// answers an empty array when no watched key there changed, a nil array otherwise.
    /// </summary>
    private async Task<bool> UnchangedElsewhereAsync(WatchRequest[] elsewhere)
    {
        var checks = elsewhere.GroupBy(w => w.Database).Select(group =>
        {
            var answer = new TaskCompletionSource<RedisReply>(TaskCreationOptions.RunContinuationsAsynchronously);
            var check = new CacheTransaction(0, group.Key, [], []);
            var versions = group.SelectMany(w => w.Versions!).ToArray();
            _server.Keyspaces[group.Key].Tell(new ExecTransaction(check, versions), new ReplyCallback(_server.System, reply => answer.TrySetResult(reply)));
            return answer.Task;
        }).ToArray();
        var replies = await Task.WhenAll(checks).WaitAsync(_closing.Token);
        return Array.TrueForAll(replies, reply => reply is ArrayReply { Items: not null });
    }

    /// <summary>
    /// A command read while MULTI is open that is not one of the commands that act at once (EXEC, DISCARD, ...):
    /// checked and queued with +QUEUED, or refused with an error that makes EXEC fail, as Redis does.
    /// </summary>
    private void QueueInMulti(byte[][] arguments, FrontEndCommand? frontEnd)
    {
        var sequence = _nextSequence++;
        var refusal = frontEnd is null ? CheckDataCommand(arguments) : CheckFrontEndCommand(frontEnd, arguments);
        if (refusal is not null)
        {
            _multi.Flag();
            Complete(sequence, refusal);
            return;
        }

        if (frontEnd is null) _multi.Queue(arguments);
        else _multi.QueueAnswered(RunQueuedFrontEndCommand(frontEnd, arguments));
        Complete(sequence, Replies.Queued);
    }

    private static RedisReply? CheckDataCommand(byte[][] arguments)
    {
        if (!CommandTable.Default.TryCheck(arguments, out var command, out var error)) return error;
        return command.AllowedInTransaction ? null : Replies.NotAllowedInTransaction;
    }

    private static RedisReply? CheckFrontEndCommand(FrontEndCommand command, byte[][] arguments)
    {
        if (!command.AcceptsArgumentCount(arguments.Length)) return Errors.WrongArity(command.Name);
        return command.InTransaction == TransactionRole.Queued ? null : Replies.NotAllowedInTransaction;
    }

    /// <summary>The queued front-end commands (PING, ECHO, UNWATCH) answer at once without touching the data.</summary>
    private RedisReply RunQueuedFrontEndCommand(FrontEndCommand command, byte[][] arguments)
    {
        var pending = command.Run(this, arguments);
        return pending.IsCompletedSuccessfully && pending.Result.Reply is { } reply ? reply : RedisReply.Error("ERR " + command.Name + " failed");
    }
}
