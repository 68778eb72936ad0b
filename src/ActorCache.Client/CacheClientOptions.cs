namespace ActorCache.Client;

/// <summary>
/// Options of a <see cref="CacheClient"/>: remote (see
/// <see cref="CacheClient.ConnectAsync(Akka.Actor.ActorSystem, string, CacheClientOptions?)"/>) or embedded (see
/// <see cref="CacheClient.ConnectAsync(Akka.Actor.ActorSystem, Akka.Actor.IActorRef, CacheClientOptions)"/>, which
/// uses <see cref="RequestTimeout"/> and <see cref="Database"/>).
/// </summary>
public sealed record CacheClientOptions
{
    /// <summary>
    /// The path of the node's entry actor in the node's ActorSystem. <see cref="DefaultEntryPath"/> unless the node
    /// was started with another actor name.
    /// </summary>
    public string EntryPath { get; init; } = DefaultEntryPath;

    /// <summary>The stable path of a node's entry actor: <c>/user/actor-cache</c>.</summary>
    public const string DefaultEntryPath = "/user/actor-cache";

    /// <summary>
    /// How long a request (and the initial connection) may wait for the node before it fails: with
    /// <see cref="CacheUnavailableException"/> for a remote node (requests made while it is unreachable wait for it up
    /// to this long), with <see cref="CacheTimeoutException"/> naming the command for an embedded one; default 5 s.
    /// Checked by one periodic sweep, so a request fails at most a tenth of this (and at most 500 ms) later than its
    /// deadline.
    /// </summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The database of the returned client (others through <see cref="ICacheClient.WithDatabase"/>).</summary>
    public int Database { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> for values that cannot work.</summary>
    internal void Validate()
    {
        if (RequestTimeout <= TimeSpan.Zero) throw new ArgumentException("RequestTimeout must be positive", nameof(RequestTimeout));
        if (!EntryPath.StartsWith('/')) throw new ArgumentException("EntryPath must start with '/', e.g. /user/actor-cache", nameof(EntryPath));
    }
}
