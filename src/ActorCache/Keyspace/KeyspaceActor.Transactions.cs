using ActorCache.Commands;
using ActorCache.Protocol;
using Akka.Actor;

namespace ActorCache.Keyspace;

// Transactions and WATCH (DESIGN.md section 2 "Transactions"). A transaction is one pending request whose keys are
// every key its commands, conditions and watches need, so it waits for its loads and keeps per-key order like any
// request; at the head of all its keys it runs its commands back to back in one message, so nothing interleaves. The
// keys it wrote form a save group: their saves go to the disk in one atomic job, so after a crash either all of them
// or none is there. A watched key counts a watcher in its IO state, which keeps it in memory (never evicted) and its
// version counting writes, so a change is seen even if it happened while the key was being loaded again.
internal sealed partial class KeyspaceActor
{
    private static readonly byte[][] ExecArguments = ["exec"u8.ToArray()];
    private static readonly byte[] UnwatchArgument = "unwatch"u8.ToArray();

    private static readonly CommandSpec ReadTransaction = new("exec", -1, CommandFlags.ReadOnly, 0, 0, 0, _ => RedisReply.Ok, null, null);
    private static readonly CommandSpec WriteTransaction = new("exec", -1, CommandFlags.Write, 0, 0, 0, _ => RedisReply.Ok, null, null);

    // Its handler runs once the keys are loaded: an expired key is deleted first, a write the watcher must see.
    private static readonly CommandSpec WatchCommand = new("watch", -2, CommandFlags.ReadOnly, 1, -1, 1, context => context.Keyspace.Watch(context), null, null);

    // Blind: releasing a watch needs no value, so nothing is loaded for it; it still queues behind the WATCH it releases.
    private static readonly CommandSpec UnwatchCommand = new("unwatch", -1, CommandFlags.ReadOnly, 1, -1, 1, context => context.Keyspace.Unwatch(context), null, _ => true);

    // Keys written by the transaction running now, so that their saves can be grouped; null outside a transaction.
    private List<CacheKey>? _transactionWrites;

    private void HandleTransaction(CacheTransaction transaction) => AcceptTransaction(transaction, []);

    private void HandleExecTransaction(ExecTransaction exec) => AcceptTransaction(exec.Transaction, exec.Watched);

    private void HandleWatchKeys(WatchKeys watch) => AcceptInternal(watch.Request, WatchCommand);

    private void HandleUnwatchKeys(UnwatchKeys unwatch) => AcceptInternal(unwatch.Request, UnwatchCommand);

    private void AcceptInternal(CacheRequest request, CommandSpec command)
    {
        if (!command.AcceptsArgumentCount(request.Arguments.Length))
        {
            Sender.Tell(new CacheReply(request.CorrelationId, Errors.WrongArity(command.Name)));
            return;
        }

        Accept(request, command, Sender);
        Pump();
    }

    private void AcceptTransaction(CacheTransaction transaction, KeyVersion[] watched)
    {
        RedisReply? error = ShuttingDown;
        var plan = _stopping ? null : TransactionPlan.TryCreate(transaction, watched, _commands, out error);
        if (plan is null)
        {
            // A refused transaction releases its watches too; the release queues behind any WATCH still waiting.
            if (watched.Length > 0) Accept(new CacheRequest(0, _databaseIndex, [UnwatchArgument, .. watched.Select(w => w.Key)]), UnwatchCommand, ActorRefs.Nobody);
            Sender.Tell(new CacheReply(transaction.CorrelationId, error!));
            Pump();
            return;
        }

        var command = plan.IsWrite ? WriteTransaction : ReadTransaction;
        var request = new CacheRequest(transaction.CorrelationId, _databaseIndex, ExecArguments);
        CountLookups(plan.Keys, isBlindWrite: false);
        Admit(Track(new PendingRequest(request, command, Sender, plan.Keys, isBlindWrite: false) { Transaction = plan }));
        Pump();
    }

    /// <summary>Runs an admitted transaction whose keys are all ready: watches and conditions first, then every command.</summary>
    private RedisReply RunTransaction(TransactionPlan plan)
    {
        var unchanged = WatchedKeysUnchanged(plan.Watched) & ConditionsHold(plan.Transaction.Conditions);
        if (!unchanged) return RedisReply.NilArray;

        var replies = new RedisReply[plan.Commands.Length];
        _transactionWrites = [];
        try
        {
            for (var i = 0; i < replies.Length; i++) replies[i] = RunHandler(plan.Commands[i], plan.Transaction.Commands[i], view: null);
        }
        finally
        {
            GroupSaves(_transactionWrites);
            _transactionWrites = null;
        }

        return new ArrayReply(replies);
    }

    /// <summary>Compares each watched key's version with its WATCH's, and releases the watches whatever the outcome.</summary>
    private bool WatchedKeysUnchanged(KeyVersion[] watched)
    {
        var unchanged = true;
        foreach (var (keyBytes, version) in watched)
        {
            var key = new CacheKey(keyBytes);
            // A key that expired since WATCH is deleted here, which counts as a change, as in Redis.
            _db.Get(key);
            if (!_io.TryGetValue(key, out var state) || state.Watchers == 0)
            {
                // No watch is held for it (the front end never got one): nothing vouches that it is unchanged.
                unchanged = false;
                continue;
            }

            if (state.Version != version) unchanged = false;
            state.Watchers--;
            ForgetIfIdle(key, state);
        }

        return unchanged;
    }

    private bool ConditionsHold(TransactionCondition[]? conditions)
    {
        foreach (var condition in conditions ?? [])
        {
            var entry = _db.Get(new CacheKey(condition.Key));
            var holds = condition.Kind switch
            {
                ConditionKind.Exists => entry is not null,
                ConditionKind.NotExists => entry is null,
                ConditionKind.ValueEquals => entry?.Value is StringValue value && condition.Value is not null && value.Bytes.AsSpan().SequenceEqual(condition.Value),
                _ => false,
            };
            if (!holds) return false;
        }

        return true;
    }

    /// <summary>The keys one transaction wrote are saved in one atomic job; groups that share a key merge.</summary>
    private void GroupSaves(List<CacheKey> written)
    {
        if (written.Count < 2) return;
        var group = new SaveGroup();
        foreach (var key in written)
        {
            if (!_io.TryGetValue(key, out var state) || !state.Has(KeyIoFlags.SaveQueued)) continue;
            if (state.SaveGroup is { } earlier && !ReferenceEquals(earlier, group))
            {
                foreach (var member in earlier.Members)
                {
                    group.Members.Add(member);
                    _io[member].SaveGroup = group;
                }
            }

            group.Members.Add(key);
            state.SaveGroup = group;
        }

        if (group.Members.Count == 1) _io[group.Members.First()].SaveGroup = null;
    }

    RedisReply IKeyspaceOperations.Watch(CommandContext context)
    {
        var versions = new RedisReply[context.Args.Length - 1];
        for (var i = 1; i < context.Args.Length; i++)
        {
            var key = context.Key(i);
            _db.Get(key);
            var state = IoState(key);
            state.Watchers++;
            versions[i - 1] = RedisReply.Integer(state.Version);
        }

        return new ArrayReply(versions);
    }

    RedisReply IKeyspaceOperations.Unwatch(CommandContext context)
    {
        for (var i = 1; i < context.Args.Length; i++)
        {
            var key = context.Key(i);
            if (!_io.TryGetValue(key, out var state) || state.Watchers == 0) continue;
            state.Watchers--;
            ForgetIfIdle(key, state);
        }

        return RedisReply.Ok;
    }
}
