using System.Text.Json;
using Aggregator.Contracts;
using Aggregator.Messaging.Outbox;

namespace Aggregator.Messaging.Tests;

public sealed class OutboxPayloadTests
{
    public static TheoryData<object> Contracts() =>
    [
        new SubmissionReceived { SubmissionId = Guid.NewGuid(), Version = 2, PeriodId = Guid.NewGuid(), UnitCode = "区教育局" },
        new SubmissionValidated { SubmissionId = Guid.NewGuid(), Version = 1, PeriodId = Guid.NewGuid(), UnitCode = "001", Outcome = "rejected" },
        new SubmissionsValidated
        {
            Versions =
            [
                new SubmissionValidated { SubmissionId = Guid.NewGuid(), Version = 3, PeriodId = Guid.NewGuid(), UnitCode = "002", Outcome = "accepted" },
                new SubmissionValidated { SubmissionId = Guid.NewGuid(), Version = 1, PeriodId = Guid.NewGuid(), UnitCode = "003", Outcome = "accepted_with_warnings" },
            ],
        },
        new RollupRequested { RollupId = Guid.NewGuid(), PeriodId = Guid.NewGuid(), UnitCode = "district" },
        new RollupCompleted { RollupId = Guid.NewGuid(), PeriodId = Guid.NewGuid() },
        new ReportRendered { RollupId = Guid.NewGuid(), Formats = ["html", "md"] },
    ];

    [Theory]
    [MemberData(nameof(Contracts))]
    public void A_contract_survives_the_trip_through_an_outbox_row(object message)
    {
        var payload = OutboxPayload.Serialize(message);
        var (restored, type) = new OutboxPayload(payload.MessageType, payload.Json).Deserialize();

        Assert.Equal(message.GetType().FullName, payload.MessageType);
        Assert.Equal(message.GetType(), type);
        Assert.Equivalent(message, restored, strict: true);
    }

    [Fact]
    public void The_payload_is_web_style_json_that_other_readers_of_the_outbox_understand()
    {
        var message = new RollupCompleted { RollupId = Guid.NewGuid(), PeriodId = Guid.NewGuid() };

        using var json = JsonDocument.Parse(OutboxPayload.Serialize(message).Json);

        Assert.Equal(message.RollupId, json.RootElement.GetProperty("rollupId").GetGuid());
    }

    [Fact]
    public void Only_message_contracts_can_be_stored()
    {
        Assert.Throws<ArgumentException>(() => OutboxPayload.Serialize(new Uri("http://example.org/")));
    }

    [Theory]
    [InlineData("System.Diagnostics.Process")]
    [InlineData("Aggregator.Contracts.NoSuchMessage")]
    [InlineData("SubmissionReceived")]
    public void A_row_naming_anything_but_a_contract_resolves_to_nothing(string messageType)
    {
        Assert.Null(OutboxPayload.ResolveType(messageType));
        Assert.Throws<OutboxPayloadException>(() => new OutboxPayload(messageType, "{}").Deserialize());
    }

    [Fact]
    public void A_payload_missing_required_members_is_reported_as_a_bad_row()
    {
        var failure = Assert.Throws<OutboxPayloadException>(
            () => new OutboxPayload(typeof(SubmissionReceived).FullName!, """{"version":1}""").Deserialize());

        Assert.Contains(nameof(SubmissionReceived), failure.Message, StringComparison.Ordinal);
    }
}
