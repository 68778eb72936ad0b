using Akka.Actor;

namespace ActorCache.Node;

/// <summary>
/// Sends one message to every target, waits for one reply from each, then answers <c>replyTo</c> once and stops.
/// Used for node-wide operations (FLUSHALL, the flush barrier) so the node actor itself keeps no per-operation state.
/// </summary>
internal sealed class ScatterGatherActor : ReceiveActor
{
    private readonly IActorRef _replyTo;
    private readonly object _finalReply;
    private int _outstanding;

    public ScatterGatherActor(IReadOnlyList<IActorRef> targets, object message, IActorRef replyTo, object finalReply)
    {
        _outstanding = targets.Count;
        foreach (var target in targets) target.Tell(message, Self);
        _replyTo = replyTo;
        _finalReply = finalReply;
        ReceiveAny(HandleReply);
        if (_outstanding == 0)
        {
            replyTo.Tell(finalReply);
            Context.Stop(Self);
        }
    }

    private void HandleReply(object reply)
    {
        if (--_outstanding > 0) return;
        _replyTo.Tell(_finalReply);
        Context.Stop(Self);
    }

    public static Props Props(IReadOnlyList<IActorRef> targets, object message, IActorRef replyTo, object finalReply) =>
        Akka.Actor.Props.Create(() => new ScatterGatherActor(targets, message, replyTo, finalReply));
}
