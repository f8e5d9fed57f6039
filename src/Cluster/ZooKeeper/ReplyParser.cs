namespace Chat.Cluster.ZooKeeper;

/// <summary>Turns a reply (header error and body) into a call's result.</summary>
internal delegate ZooKeeperResult<T> ReplyParser<T>(ZooKeeperError error, ref JuteReader body);
