using Chat.ChatService.Storage;

namespace Chat.Tests.ChatService.Storage;

public sealed class RedisKeysTests
{
    [Fact]
    public void Every_key_of_a_couple_carries_the_same_hash_tag()
    {
        string[] keys =
        [
            RedisKeys.Seq("42").ToString(),
            RedisKeys.Messages("42").ToString(),
            RedisKeys.Dedup("42", "alice", "m-1").ToString(),
            RedisKeys.ReadMarks("42").ToString(),
        ];

        Assert.All(keys, key => Assert.StartsWith("{c:42}:", key, StringComparison.Ordinal));
        Assert.Equal(["{c:42}:seq", "{c:42}:msgs", "{c:42}:dedup:alice:m-1", "{c:42}:read"], keys);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("couple-123_ABC.x~!")]
    [InlineData("0f8fad5b-d9cb-469f-a165-70867728950e")]
    public void Printable_ascii_ids_are_valid(string id) => Assert.True(RedisKeys.IsValidId(id));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("a}b")]
    [InlineData("{a")]
    [InlineData("a:b")]
    [InlineData("a b")]
    [InlineData("tab\t")]
    [InlineData("é")]
    [InlineData("\u007f")]
    public void Ids_that_could_break_a_key_are_invalid(string? id) => Assert.False(RedisKeys.IsValidId(id));

    [Fact]
    public void Ids_are_limited_in_length()
    {
        Assert.True(RedisKeys.IsValidId(new string('x', RedisKeys.MaxIdLength)));
        Assert.False(RedisKeys.IsValidId(new string('x', RedisKeys.MaxIdLength + 1)));
    }
}
