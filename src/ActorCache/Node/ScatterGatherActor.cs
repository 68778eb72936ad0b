using Akka.Actor;

namespace ActorCache.Node;

/// <summary>
/// Sends one message to every target, waits for one reply from each, then answers <c>replyTo</c> once and stops.
/// Used for node-wide operations (FLUSHALL, the flush barrier) so the node actor itself keeps no per-operation state.
/// </summary>
internal sealed class ScatterGatherActor : ReceiveActor
{
    private int _outstanding;

    public ScatterGatherActor(IReadOnlyList<IActorRef> targets, Func<int, object> messageFor, IActorRef replyTo, object finalReply)
    {
        _outstanding = targets.Count;
        for (var i = 0; i < targets.Count; i++) targets[i].Tell(messageFor(i), Self);
        ReceiveAny(_ =>
        {
            if (--_outstanding > 0) return;
            replyTo.Tell(finalReply);
            Context.Stop(Self);
        });
        if (_outstanding == 0)
        {
            replyTo.Tell(finalReply);
            Context.Stop(Self);
        }
    }

    public static Props Props(IReadOnlyList<IActorRef> targets, Func<int, object> messageFor, IActorRef replyTo, object finalReply) =>
        Akka.Actor.Props.Create(() => new ScatterGatherActor(targets, messageFor, replyTo, finalReply));
}
