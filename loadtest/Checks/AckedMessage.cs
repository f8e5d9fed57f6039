namespace Chat.LoadTest.Checks;

/// <summary>A send the shard acknowledged: its id and the seq it was stored at.</summary>
internal readonly record struct AckedMessage(string ClientMsgId, long Seq);
