namespace ActorCache.Storage;

/// <summary>
/// What a snapshot or a restore leaves behind when the process dies half way (see <see cref="FolderCopy"/> and
/// <see cref="DiskStoreFactory.Restore"/>), put right before a store opens: half-made copies are deleted, and a restore
/// that had moved the old store aside but not yet moved the new one in is finished, so the node never opens an empty
/// store in place of one it had.
/// </summary>
internal static class InterruptedCopies
{
    public const string PartialMarker = ".partial-";
    public const string RestoringMarker = ".restoring-";
    public const string ReplacedMarker = ".replaced-";

    /// <summary>Cleans up around <paramref name="storeFolder"/> and in the snapshots folder of <paramref name="dataDirectory"/>.</summary>
    public static void Recover(string dataDirectory, string storeFolder)
    {
        var store = Path.GetFullPath(storeFolder);
        var parent = Path.GetDirectoryName(store)!;
        var snapshots = Path.Combine(dataDirectory, "snapshots");
        if (Directory.Exists(snapshots))
        {
            foreach (var partial in Directory.EnumerateDirectories(snapshots, "*" + PartialMarker + "*")) FolderCopy.TryDelete(partial);
        }

        if (!Directory.Exists(parent)) return;
        var name = Path.GetFileName(store);
        foreach (var partial in Directory.EnumerateDirectories(parent, name + RestoringMarker + "*" + PartialMarker + "*")) FolderCopy.TryDelete(partial);

        // A complete restored copy: its move into place is all that was left to do if the store is gone.
        var restored = Directory.EnumerateDirectories(parent, name + RestoringMarker + "*")
            .Where(folder => !Path.GetFileName(folder).Contains(PartialMarker, StringComparison.Ordinal))
            .ToList();
        if (!Directory.Exists(store) && restored.Count == 1)
        {
            Directory.Move(restored[0], store);
            restored.Clear();
        }

        foreach (var copy in restored) FolderCopy.TryDelete(copy);
        if (!Directory.Exists(store)) return;
        foreach (var replaced in Directory.EnumerateDirectories(parent, name + ReplacedMarker + "*")) FolderCopy.TryDelete(replaced);
    }
}
