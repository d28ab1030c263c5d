using System.Buffers.Binary;

namespace Aggregator.Messaging.Outbox;

/// <summary>The message id of an outbox row: fixed by the row, so every publish of one row carries the same id.</summary>
public static class OutboxMessageIds
{
    // The first half marks the id as an outbox row's; the second half is the row id, so the row can be read back.
    private static readonly byte[] Prefix = [0x61, 0x67, 0x67, 0x2d, 0x6f, 0x62, 0x78, 0x01];

    public static Guid For(long outboxId)
    {
        Span<byte> bytes = stackalloc byte[16];
        Prefix.CopyTo(bytes);
        BinaryPrimitives.WriteInt64BigEndian(bytes[8..], outboxId);
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>The outbox row id inside <paramref name="messageId"/>, or null for an id not made by <see cref="For"/>.</summary>
    public static long? RowOf(Guid messageId)
    {
        Span<byte> bytes = stackalloc byte[16];
        messageId.TryWriteBytes(bytes, bigEndian: true, out _);
        return bytes[..8].SequenceEqual(Prefix) ? BinaryPrimitives.ReadInt64BigEndian(bytes[8..]) : null;
    }
}
