using ActorCache.Server;
using Akka.Configuration;
using Akka.Configuration.Hocon;
using Xunit;

namespace ActorCache.Tests.Server;

/// <summary>hocon/single-node.conf repeats the node executable's built-in defaults (server.conf), with comments.</summary>
public sealed class SingleNodeConfigSpec
{
    [Fact]
    public void Single_node_conf_sets_every_key_of_server_conf_to_the_same_value()
    {
        var singleNode = ConfigurationFactory.ParseString(File.ReadAllText(FindShipped("single-node.conf")));
        var defaults = Leaves(ServerCommandLine.ServerDefaults.Root, "").ToList();

        Assert.NotEmpty(defaults);
        Assert.All(defaults, leaf =>
        {
            Assert.True(singleNode.HasPath(leaf.Path), $"hocon/single-node.conf lacks {leaf.Path}");
            Assert.Equal(leaf.Value, singleNode.GetString(leaf.Path));
        });
    }

    private static IEnumerable<(string Path, string Value)> Leaves(HoconValue value, string path)
    {
        if (!value.IsObject())
        {
            yield return (path, value.GetString());
            yield break;
        }

        foreach (var (key, child) in value.GetObject().Items)
        {
            foreach (var leaf in Leaves(child, path.Length == 0 ? key : $"{path}.{key}")) yield return leaf;
        }
    }

    private static string FindShipped(string name)
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "hocon", name);
            if (File.Exists(candidate)) return candidate;
        }

        throw new FileNotFoundException($"hocon/{name} not found above {AppContext.BaseDirectory}");
    }
}
