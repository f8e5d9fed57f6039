using Chat.Client;

namespace Chat.Tests.Client;

public class ClientMsgIdsTests
{
    [Fact]
    public void Generated_ids_are_22_url_safe_characters()
    {
        for (var i = 0; i < 1000; i++)
        {
            var id = ClientMsgIds.New();
            Assert.Equal(ClientMsgIds.GeneratedLength, id.Length);
            Assert.All(id, c => Assert.True(char.IsAsciiLetterOrDigit(c) || c is '-' or '_', $"unexpected '{c}' in {id}"));
            Assert.True(ClientMsgIds.IsValid(id));
        }
    }

    [Fact]
    public void Generated_ids_do_not_repeat()
    {
        var ids = Enumerable.Range(0, 100_000).Select(_ => ClientMsgIds.New()).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(100_000, ids.Count);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("a", true)]
    [InlineData("abc-DEF_123", true)]
    [InlineData("has space", false)]
    [InlineData("dot.ted", false)]
    [InlineData("ünïcode", false)]
    public void Validity_follows_the_protocol_id_syntax(string? id, bool valid) => Assert.Equal(valid, ClientMsgIds.IsValid(id));

    [Fact]
    public void Ids_longer_than_64_characters_are_invalid()
    {
        Assert.True(ClientMsgIds.IsValid(new string('a', 64)));
        Assert.False(ClientMsgIds.IsValid(new string('a', 65)));
    }
}
