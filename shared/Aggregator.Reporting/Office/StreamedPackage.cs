using System.IO.Compression;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;

namespace Aggregator.Reporting.Office;

/// <summary>
/// An Open XML package whose large parts are written straight into the compressed file. The SDK opens a new package
/// for update, and a zip archive in update mode keeps every part it is given uncompressed in memory until it is closed:
/// the document of a report over 10⁴ units is some 30 MB of XML, held in a growing buffer. Here the SDK builds the
/// package with the large parts left empty; <see cref="ToArray"/> then copies it entry by entry into a zip written
/// forward only, writing each deferred part through its own <see cref="OpenXmlWriter"/> as it is reached, so a part
/// is compressed while it is written and only the compressed file is held.
/// </summary>
internal sealed class StreamedPackage : IDisposable
{
    private readonly Dictionary<string, Action<Stream>> _deferred = new(StringComparer.Ordinal);

    /// <summary>The stream to create the SDK's document on; it holds the package with the deferred parts empty.</summary>
    public MemoryStream Skeleton { get; } = new();

    /// <summary>Leaves <paramref name="part"/> empty in the skeleton and writes it with <paramref name="write"/> in
    /// <see cref="ToArray"/>, in the order of the package's entries (a part created later is written later).</summary>
    public void Defer(OpenXmlPart part, Action<OpenXmlWriter> write) =>
        Defer(part, (Stream stream) =>
        {
            using var writer = OpenXmlWriter.Create(stream);
            write(writer);
            writer.Close();
        });

    /// <summary>As the other overload, for a part written as a whole (a root element's <c>Save(Stream)</c>).</summary>
    public void Defer(OpenXmlPart part, Action<Stream> write) =>
        _deferred.Add(part.Uri.OriginalString.TrimStart('/'), write);

    /// <summary>The finished file: call once the SDK's document over <see cref="Skeleton"/> is disposed.</summary>
    public byte[] ToArray()
    {
        Skeleton.Position = 0;
        using var output = new MemoryStream();
        var written = 0;
        using (var source = new ZipArchive(Skeleton, ZipArchiveMode.Read, leaveOpen: true))
        using (var target = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in source.Entries)
            {
                // System.IO.Packaging stores the SDK's parts with CompressionOption.Normal, which is CompressionLevel.Optimal.
                var copy = target.CreateEntry(entry.FullName, CompressionLevel.Optimal);
                copy.LastWriteTime = entry.LastWriteTime;
                using var to = copy.Open();
                if (_deferred.TryGetValue(entry.FullName, out var write))
                {
                    write(to);
                    written++;
                }
                else
                {
                    using var from = entry.Open();
                    from.CopyTo(to);
                }
            }
        }

        if (written != _deferred.Count)
        {
            throw new InvalidOperationException($"The package has {written} of its {_deferred.Count} deferred parts.");
        }

        return output.ToArray();
    }

    public void Dispose() => Skeleton.Dispose();
}
