using System.Globalization;

namespace ActorCache.Server;

/// <summary>
/// An exclusive OS lock on <c>actor-cache.lock</c> in the data folder, held for the life of the process, so a second
/// node cannot open the same folder. The OS drops the lock when the process dies, so a stale file never blocks a restart.
/// </summary>
internal sealed class DataDirectoryLock : IDisposable
{
    /// <summary>Name of the lock file inside the data folder.</summary>
    public const string FileName = "actor-cache.lock";

    private readonly FileStream _file;

    private DataDirectoryLock(FileStream file) => _file = file;

    /// <summary>Takes the lock, or returns null with a one-line <paramref name="error"/>.</summary>
    public static DataDirectoryLock? TryAcquire(string dataDirectory, out string? error)
    {
        error = null;
        var path = Path.Combine(dataDirectory, FileName);
        FileStream file;
        try
        {
            Directory.CreateDirectory(dataDirectory);
            file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex) when (File.Exists(path))
        {
            error = $"data folder {dataDirectory} is in use by another ActorCache node (lock file {path} is locked: {ex.Message})";
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error = $"cannot use data folder {dataDirectory}: {ex.Message}";
            return null;
        }

        try
        {
            // For people: which process holds it. The lock itself is the OS lock, not this content.
            file.SetLength(0);
            using var writer = new StreamWriter(file, leaveOpen: true);
            writer.Write(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
            writer.Flush();
            file.Flush();
        }
        catch (IOException)
        {
            // The content is informative only.
        }

        return new DataDirectoryLock(file);
    }

    /// <summary>Releases the lock (the file stays; it is harmless).</summary>
    public void Dispose() => _file.Dispose();
}
