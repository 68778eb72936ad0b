using ActorCache.Samples.EmbeddedCache;

// dotnet run --project samples/EmbeddedCache [data-folder]
await EmbeddedCacheSample.RunAsync(args.Length > 0 ? args[0] : "embedded-sample-data", Console.Out);
