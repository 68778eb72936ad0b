namespace ActorCache.Storage;

/// <summary>
/// Copies a store's folder tree for snapshots and restores. Every file copied is flushed to the device, and the copy
/// is made under a temporary name then renamed into place, so a crash never leaves a half copy under the final name.
/// </summary>
internal static class FolderCopy
{
    /// <summary>
    /// Copies <paramref name="source"/> to <paramref name="destination"/>, which must not exist, keeping the files
    /// <paramref name="include"/> accepts (by full path) and the folders <paramref name="includeFolder"/> accepts.
    /// </summary>
    public static void Copy(string source, string destination, Func<string, bool>? include = null, Func<string, bool>? includeFolder = null)
    {
        var partial = destination + InterruptedCopies.PartialMarker + Guid.NewGuid().ToString("N");
        try
        {
            CopyTree(source, partial, include ?? (static _ => true), includeFolder ?? (static _ => true));
            Directory.Move(partial, destination);
        }
        catch
        {
            TryDelete(partial);
            throw;
        }

        DirectorySync.Flush(Path.GetDirectoryName(destination)!);
    }

    /// <summary>Deletes <paramref name="folder"/> if it exists; a failure is left for the next attempt to clean up.</summary>
    public static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The caller is already reporting the failure that matters.
        }
    }

    private static void CopyTree(string source, string destination, Func<string, bool> include, Func<string, bool> includeFolder)
    {
        Directory.CreateDirectory(destination);
        foreach (var file in Directory.EnumerateFiles(source))
        {
            if (include(file))
            {
                CopyFile(file, Path.Combine(destination, Path.GetFileName(file)));
            }
        }

        foreach (var folder in Directory.EnumerateDirectories(source))
        {
            if (includeFolder(folder))
            {
                CopyTree(folder, Path.Combine(destination, Path.GetFileName(folder)), include, includeFolder);
            }
        }

        DirectorySync.Flush(destination);
    }

    private static void CopyFile(string source, string destination)
    {
        using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read);
        using var output = new FileStream(destination, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        input.CopyTo(output);
        output.Flush(flushToDisk: true);
    }
}
