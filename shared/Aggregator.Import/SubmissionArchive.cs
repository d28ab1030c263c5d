using System.IO.Compression;

namespace Aggregator.Import;

/// <summary>
/// The submission files inside a .zip the office collected (JSON, filled-in .xlsx templates, Word .docx; nested folders
/// are fine). Entries are read into memory, never extracted to disk, so an entry's name is only a label: a name that
/// climbs out of the archive (<c>../</c>, an absolute or drive path) is listed as refused rather than trusted. The
/// limits are counted on the bytes actually inflated, not on the sizes the archive declares, so a zip bomb stops at
/// the limit.
/// </summary>
public sealed class SubmissionArchive
{
    public static readonly string[] Extensions = [".json", ".xlsx", ".docx"];

    private SubmissionArchive(IReadOnlyList<ArchiveEntry> entries) => Entries = entries;

    /// <summary>The submission files in entry order; an entry refused by name carries its problem instead of bytes.</summary>
    public IReadOnlyList<ArchiveEntry> Entries { get; }

    /// <summary>Reads the archive, or throws <see cref="SubmissionArchiveException"/> (unreadable, too many entries, too large).</summary>
    public static SubmissionArchive Read(Stream zip, ArchiveLimits limits)
    {
        ArgumentNullException.ThrowIfNull(zip);
        ArgumentNullException.ThrowIfNull(limits);
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(zip, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException ex)
        {
            throw new SubmissionArchiveException(ArchiveProblems.Unreadable, $"无法读取 zip 文件：{ex.Message}");
        }

        using (archive)
        {
            var files = archive.Entries.Where(e => !IsFolder(e) && !Ignored(e.FullName)).ToList();
            if (files.Count > limits.MaxEntries)
            {
                throw new SubmissionArchiveException(ArchiveProblems.TooManyEntries, $"zip 文件中有 {files.Count} 个文件，超过上限 {limits.MaxEntries} 个；请分批上传。");
            }

            var entries = new List<ArchiveEntry>();
            long total = 0;
            foreach (var entry in files)
            {
                var name = entry.FullName.Replace('\\', '/');
                if (!IsSafe(name))
                {
                    entries.Add(new ArchiveEntry(name, null, $"文件名“{name}”指向 zip 文件之外（含“..”或绝对路径），未读取") { Code = ArchiveProblems.EntryUnsafeName });
                    continue;
                }

                if (!Extensions.Contains(Path.GetExtension(name).ToLowerInvariant()))
                {
                    continue;
                }

                try
                {
                    var bytes = Inflate(entry, limits.MaxEntryBytes, Math.Min(limits.MaxEntryBytes, limits.MaxTotalBytes - total), name);
                    total += bytes.Length;
                    entries.Add(new ArchiveEntry(name, bytes, null));
                }
                catch (InvalidDataException ex)
                {
                    entries.Add(new ArchiveEntry(name, null, $"zip 中的此文件已损坏，无法解压：{ex.Message}") { Code = ArchiveProblems.EntryUnreadable });
                }
            }

            return new SubmissionArchive(entries);
        }
    }

    private static byte[] Inflate(ZipArchiveEntry entry, long maxEntry, long allowed, string name)
    {
        using var input = entry.Open();
        using var output = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = input.Read(buffer, 0, buffer.Length)) > 0)
        {
            if (output.Length + read > allowed)
            {
                throw output.Length + read > maxEntry
                    ? new SubmissionArchiveException(ArchiveProblems.TooLarge, $"zip 中的“{name}”解压后超过 {maxEntry / (1024 * 1024)} MB 的上限。")
                    : new SubmissionArchiveException(ArchiveProblems.TooLarge, "zip 文件解压后的总大小超过上限；请分批上传。");
            }

            output.Write(buffer, 0, read);
        }

        return output.ToArray();
    }

    private static bool IsFolder(ZipArchiveEntry entry) => entry.FullName.EndsWith('/') || entry.FullName.EndsWith('\\');

    // Files a desktop adds beside the real ones: macOS resource forks, Office's lock files.
    private static bool Ignored(string fullName)
    {
        var name = fullName.Replace('\\', '/');
        var leaf = name[(name.LastIndexOf('/') + 1)..];
        return name.StartsWith("__MACOSX/", StringComparison.Ordinal) || leaf.StartsWith("._", StringComparison.Ordinal) || leaf.StartsWith("~$", StringComparison.Ordinal);
    }

    private static bool IsSafe(string name) =>
        name.Length > 0 && !name.StartsWith('/') && !(name.Length > 1 && name[1] == ':')
        && !name.Split('/').Any(segment => segment == "..");
}

/// <param name="Name">The entry's path inside the archive, with forward slashes.</param>
/// <param name="Bytes">The file's content; null when the entry was refused.</param>
/// <param name="Problem">Why the entry was not read, in Chinese; null when read.</param>
public sealed record ArchiveEntry(string Name, byte[]? Bytes, string? Problem)
{
    /// <summary>The stable code of <see cref="Problem"/>, one of <see cref="ArchiveProblems"/>; null when read.</summary>
    public string? Code { get; init; }
}

/// <summary>How much a zip may hold: file count, bytes per file and in all, as inflated.</summary>
public sealed record ArchiveLimits(int MaxEntries, long MaxEntryBytes, long MaxTotalBytes)
{
    public static ArchiveLimits Default { get; } = new(500, 20L * 1024 * 1024, 200L * 1024 * 1024);
}

public static class ArchiveProblems
{
    public const string Unreadable = "zip_unreadable";

    public const string TooManyEntries = "zip_too_many_entries";

    public const string TooLarge = "zip_too_large";

    public const string EntryUnsafeName = "zip_entry_unsafe_name";

    public const string EntryUnreadable = "zip_entry_unreadable";
}

/// <summary>A zip that cannot be read as a whole; <see cref="Code"/> is one of <see cref="ArchiveProblems"/>.</summary>
public sealed class SubmissionArchiveException : Exception
{
    public SubmissionArchiveException()
        : this(ArchiveProblems.Unreadable, "无法读取 zip 文件")
    {
    }

    public SubmissionArchiveException(string message)
        : this(ArchiveProblems.Unreadable, message)
    {
    }

    public SubmissionArchiveException(string message, Exception innerException)
        : base(message, innerException) => Code = ArchiveProblems.Unreadable;

    public SubmissionArchiveException(string code, string message)
        : base(message) => Code = code;

    public string Code { get; }
}
