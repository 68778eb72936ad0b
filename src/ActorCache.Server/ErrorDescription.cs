using System.Reflection;

namespace ActorCache.Server;

/// <summary>One line for an exception that stops the node: the message that says what went wrong, not its wrappers'.</summary>
internal static class ErrorDescription
{
    /// <summary>
    /// The message of the first exception in the chain that is not a mere wrapper (TargetInvocationException,
    /// AggregateException, TypeInitializationException), followed by its root cause's message if that adds something;
    /// line breaks become spaces.
    /// </summary>
    public static string Of(Exception ex)
    {
        var cause = Unwrap(ex);
        var root = Unwrap(cause.GetBaseException());
        var text = ReferenceEquals(root, cause) || cause.Message.Contains(root.Message, StringComparison.Ordinal)
            ? cause.Message
            : $"{cause.Message} ({root.Message})";
        return string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    private static Exception Unwrap(Exception ex)
    {
        while (ex is TargetInvocationException or AggregateException or TypeInitializationException && ex.InnerException is { } inner) ex = inner;
        return ex;
    }
}
