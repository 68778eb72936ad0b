using ActorCache.Samples.RemoteClient;

// Start a node first (dotnet run -c Release --project src/ActorCache.Server), then:
// dotnet run --project samples/RemoteClient [node-address]
try
{
    await RemoteClientSample.RunAsync(args.Length > 0 ? args[0] : RemoteClientSample.DefaultNodeAddress, Console.Out);
    return 0;
}
catch (ActorCache.Client.CacheUnavailableException ex)
{
    Console.Error.WriteLine($"remote-client: {ex.Message} (is a node running? dotnet run -c Release --project src/ActorCache.Server)");
    return 1;
}
