using Chat.Protocol.Multiplexing;
using Chat.Protocol.Security;

namespace Chat.ChatService.Hosting;

/// <summary>
/// The cluster key file (the same format as the token key file) as the mux's key ring: every key
/// verifies a gateway's Hello by its key id; the first key is the one this process would sign with
/// (the shard only answers with the key the gateway chose).
/// </summary>
internal static class ClusterKeys
{
    public static MuxKeyRing ToMuxKeyRing(KeyRing keys)
    {
        var byId = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var key in keys.Keys)
        {
            byId[key.Id] = key.Secret.ToArray();
        }

        return new MuxKeyRing(keys.SigningKey.Id, byId);
    }
}
