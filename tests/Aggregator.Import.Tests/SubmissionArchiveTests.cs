using System.IO.Compression;

namespace Aggregator.Import.Tests;

/// <summary>The office's .zip: entries read in memory, zip bombs stopped on the bytes inflated, names never trusted.</summary>
public sealed class SubmissionArchiveTests
{
    private static readonly ArchiveLimits Small = new(MaxEntries: 3, MaxEntryBytes: 1024 * 1024, MaxTotalBytes: 2 * 1024 * 1024);

    [Fact]
    public void Reads_nested_entries_in_memory_and_skips_other_files_and_desktop_litter()
    {
        var archive = SubmissionArchive.Read(Zip(("a/b/U1.json", "{}"u8.ToArray()), ("readme.txt", [1]), ("__MACOSX/a/._U1.json", [1]), ("a/", [])), Small);

        var entry = Assert.Single(archive.Entries);
        Assert.Equal(("a/b/U1.json", "{}"), (entry.Name, System.Text.Encoding.UTF8.GetString(entry.Bytes!)));
        Assert.Null(entry.Problem);
    }

    [Theory]
    [InlineData("../U1.json")]
    [InlineData("a/../../U1.json")]
    [InlineData("/etc/U1.json")]
    [InlineData("C:/U1.json")]
    [InlineData("..\\U1.json")]
    public void An_entry_whose_name_climbs_out_of_the_archive_is_refused_unread(string name)
    {
        var archive = SubmissionArchive.Read(Zip((name, "{}"u8.ToArray()), ("U2.json", "{}"u8.ToArray())), Small);

        var refused = Assert.Single(archive.Entries, e => e.Bytes is null);
        Assert.Contains("..", refused.Problem!, StringComparison.Ordinal);
        Assert.Single(archive.Entries, e => e.Name == "U2.json" && e.Bytes is not null);
    }

    [Fact]
    public void A_zip_bomb_stops_at_the_entry_limit_on_the_bytes_inflated()
    {
        // 64 MB of zeros deflate to a few tens of kilobytes.
        var bomb = Zip(("U1.json", new byte[64 * 1024 * 1024]));
        Assert.True(bomb.Length < 1024 * 1024);

        var problem = Assert.Throws<SubmissionArchiveException>(() => SubmissionArchive.Read(new MemoryStream(bomb.ToArray()), Small));

        Assert.Equal(ArchiveProblems.TooLarge, problem.Code);
    }

    [Fact]
    public void Entries_each_under_the_limit_stop_at_the_total()
    {
        var zip = Zip(("U1.json", new byte[900 * 1024]), ("U2.json", new byte[900 * 1024]), ("U3.json", new byte[900 * 1024]));

        var problem = Assert.Throws<SubmissionArchiveException>(() => SubmissionArchive.Read(zip, Small));

        Assert.Equal(ArchiveProblems.TooLarge, problem.Code);
    }

    [Fact]
    public void Too_many_entries_and_a_file_that_is_no_zip_are_refused_with_their_codes()
    {
        var many = Zip([.. Enumerable.Range(1, 4).Select(i => ($"U{i}.json", "{}"u8.ToArray()))]);

        Assert.Equal(ArchiveProblems.TooManyEntries, Assert.Throws<SubmissionArchiveException>(() => SubmissionArchive.Read(many, Small)).Code);
        Assert.Equal(ArchiveProblems.Unreadable, Assert.Throws<SubmissionArchiveException>(() => SubmissionArchive.Read(new MemoryStream("not a zip"u8.ToArray()), Small)).Code);
    }

    private static MemoryStream Zip(params (string Name, byte[] Bytes)[] entries)
    {
        var stream = new MemoryStream();
        using (var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in entries)
            {
                using var entry = archive.CreateEntry(name, CompressionLevel.SmallestSize).Open();
                entry.Write(bytes);
            }
        }

        stream.Position = 0;
        return stream;
    }
}
