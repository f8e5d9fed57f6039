namespace Chat.LoadTest.Checks;

/// <summary>One message as a device got it: live (<paramref name="BySync"/> false) or from the final Sync.</summary>
internal readonly record struct Delivery(long Seq, string ClientMsgId, bool BySync);
