using System.Net;
using Chat.LoadTest.Load;
using Chat.Protocol.Security;

namespace Chat.Tests.LoadTest.Load;

/// <summary>Message bodies, ids, source addresses.</summary>
public class LoadPartsTests
{
    [Fact]
    public void A_body_carries_its_timestamp_and_has_the_requested_size()
    {
        var body = MessageBody.Create(100, 0x1234_5678_9abc);
        Assert.Equal(100, body.Length);
        Assert.Equal(0x1234_5678_9abc, MessageBody.Timestamp(body));
        Assert.All(body[16..], b => Assert.Equal((byte)'x', b));
        Assert.Equal(16, MessageBody.Create(3, 1).Length);
    }

    [Theory]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("zzzzzzzzzzzzzzzzzzzz")]
    public void A_body_that_is_not_a_load_message_has_no_timestamp(string text) =>
        Assert.Null(MessageBody.Timestamp(System.Text.Encoding.UTF8.GetBytes(text)));

    [Fact]
    public void Ids_are_valid_token_ids_unique_per_run_and_the_user_id_starts_with_the_couple_id()
    {
        var couple = CoupleNames.Couple("r0a1b2c", 42);
        var user = CoupleNames.User(couple, 1);
        var device = CoupleNames.Device(user, 0);
        Assert.Equal("r0a1b2c-c000042", couple);
        Assert.StartsWith(couple, user, StringComparison.Ordinal);
        Assert.NotEqual(CoupleNames.User(couple, 0), user);
        Assert.True(TokenIds.IsValid(couple) && TokenIds.IsValid(user) && TokenIds.IsValid(device));
    }

    [Fact]
    public void Source_addresses_spread_round_robin_over_127_0_0_2_and_up()
    {
        Assert.Equal(IPAddress.Parse("127.0.0.2"), LoadWorker.SourceAddress(0, 4));
        Assert.Equal(IPAddress.Parse("127.0.0.5"), LoadWorker.SourceAddress(3, 4));
        Assert.Equal(IPAddress.Parse("127.0.0.2"), LoadWorker.SourceAddress(4, 4));
        Assert.Equal(IPAddress.Parse("127.0.0.251"), LoadWorker.SourceAddress(249, 1000));
    }
}
