using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Aggregator.Core.Text;

/// <summary>
/// The distinct sentences of a report's narrative, each kept as a 64-bit hash of its normalised text, so that two
/// texts are compared by set intersection without splitting either again. Sentences end at 。！？；（full or half
/// width) and line breaks; whitespace and punctuation are dropped and letters folded to lower case before hashing, so
/// “本机关，全年” and “本机关 全年” are the same sentence. Sentences shorter than <see cref="MinSentenceLength"/>
/// characters after normalising (headings such as “一、总体情况”) say nothing about copying and are ignored.
/// </summary>
public sealed class SentenceFingerprint
{
    /// <summary>Characters a normalised sentence needs to count.</summary>
    public const int MinSentenceLength = 8;

    private const int HexDigits = 16;

    private static readonly char[] Breaks = ['。', '！', '？', '；', '!', '?', ';', '\n', '\r', '\u2028', '\u2029'];

    private readonly ulong[] _hashes;

    private SentenceFingerprint(ulong[] sortedDistinct) => _hashes = sortedDistinct;

    public static SentenceFingerprint Empty { get; } = new([]);

    /// <summary>How many distinct sentences count.</summary>
    public int Count => _hashes.Length;

    public IReadOnlyList<ulong> Hashes => _hashes;

    /// <summary>The fingerprint of <paramref name="text"/>; empty for null or blank text.</summary>
    public static SentenceFingerprint Of(string? text) =>
        string.IsNullOrWhiteSpace(text) ? Empty : FromHashes(Sentences(text).Select(Hash));

    /// <summary>The normalised sentences of <paramref name="text"/> that count, in order, repeats included.</summary>
    public static IReadOnlyList<string> Sentences(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return [.. text.Split(Breaks).Select(Normalise).Where(s => s.Length >= MinSentenceLength)];
    }

    /// <summary>Reads what <see cref="ToString"/> wrote (hex hashes separated by spaces).</summary>
    /// <exception cref="FormatException">A token is not a 16-digit hex number.</exception>
    public static SentenceFingerprint Parse(string? stored)
    {
        if (string.IsNullOrWhiteSpace(stored))
        {
            return Empty;
        }

        return FromHashes(stored.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(token =>
            token.Length == HexDigits && ulong.TryParse(token, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hash)
                ? hash
                : throw new FormatException($"'{token}' is not a sentence hash.")));
    }

    /// <summary>
    /// The share of this text's sentences that <paramref name="other"/> also has, 0 to 1; 0 when this text has no
    /// sentence that counts. Not symmetric: a short text copied whole into a long one shares 1 with it.
    /// </summary>
    public double ShareWith(SentenceFingerprint other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (_hashes.Length == 0)
        {
            return 0;
        }

        int i = 0, j = 0, shared = 0;
        while (i < _hashes.Length && j < other._hashes.Length)
        {
            var order = _hashes[i].CompareTo(other._hashes[j]);
            if (order == 0)
            {
                shared++;
                i++;
                j++;
            }
            else if (order < 0)
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return (double)shared / _hashes.Length;
    }

    /// <summary>The stored form: each hash as 16 hex digits, ascending, separated by spaces.</summary>
    public override string ToString() =>
        string.Join(' ', _hashes.Select(h => h.ToString("x16", CultureInfo.InvariantCulture)));

    private static SentenceFingerprint FromHashes(IEnumerable<ulong> hashes)
    {
        var sorted = hashes.Distinct().ToArray();
        Array.Sort(sorted);
        return sorted.Length == 0 ? Empty : new SentenceFingerprint(sorted);
    }

    private static string Normalise(string sentence)
    {
        var kept = new StringBuilder(sentence.Length);
        foreach (var c in sentence.Normalize(NormalizationForm.FormKC))
        {
            if (char.IsLetterOrDigit(c))
            {
                kept.Append(char.ToLowerInvariant(c));
            }
        }

        return kept.ToString();
    }

    // A cryptographic hash, not string.GetHashCode: the value is stored and must be the same in every process.
    private static ulong Hash(string sentence)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(sentence), digest);
        return BitConverter.ToUInt64(digest);
    }
}
