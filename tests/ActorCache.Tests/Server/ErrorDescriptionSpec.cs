using System.Reflection;
using ActorCache.Server;
using Xunit;

namespace ActorCache.Tests.Server;

/// <summary>The one line the node prints when it cannot start names the real cause, not the exceptions that wrap it.</summary>
public sealed class ErrorDescriptionSpec
{
    [Fact]
    public void Wrappers_are_unwrapped_down_to_the_message_that_says_what_went_wrong()
    {
        // What Akka.Hosting throws for a TLS certificate it cannot load: two AggregateExceptions and a reflection wrapper.
        var cause = new IOException("error:10000080:BIO routines::no such file");
        var thrown = new AggregateException(new AggregateException(new TargetInvocationException(cause)));

        Assert.Equal("error:10000080:BIO routines::no such file", ErrorDescription.Of(thrown));
        Assert.Equal("bad value", ErrorDescription.Of(new TypeInitializationException("Some.Type", new FormatException("bad value"))));
    }

    [Fact]
    public void A_cause_below_a_meaningful_message_is_added_in_parentheses_once()
    {
        var store = new InvalidOperationException("cannot open the store", new TargetInvocationException(new IOException("disk full")));
        var repeated = new InvalidOperationException("cannot open the store: disk full", new IOException("disk full"));

        Assert.Equal("cannot open the store (disk full)", ErrorDescription.Of(new TargetInvocationException(store)));
        Assert.Equal("cannot open the store: disk full", ErrorDescription.Of(repeated));
    }

    [Fact]
    public void The_description_is_one_line()
    {
        Assert.Equal("first line second line", ErrorDescription.Of(new AggregateException(new IOException("first line\r\n  second line\n"))));
    }

    [Fact]
    public void A_wrapper_without_a_cause_keeps_its_own_message()
    {
        Assert.Equal("nothing inside", ErrorDescription.Of(new AggregateException("nothing inside", Array.Empty<Exception>())));
    }
}
