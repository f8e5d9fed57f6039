using DotNetty.Transport.Channels;

namespace Chat.Gateway.Tls;

/// <summary>
/// A TLS implementation for client connections. Routing code depends on this and on
/// <see cref="TlsHandshakeCompletedEvent"/> only, so engines can be added without touching it.
/// </summary>
/// <remarks>
/// <para>
/// Pipeline use: in the child channel initializer, <c>pipeline.AddLast("tls", engine.CreateHandler())</c>
/// as the first handler, then the application handlers. The handler created here guarantees:
/// </para>
/// <list type="bullet">
/// <item>inbound: encrypted <c>IByteBuffer</c>s in, decrypted <c>IByteBuffer</c>s fired to the next
/// handler on the channel's event loop, followed by ChannelReadComplete after a burst;</item>
/// <item>outbound: <c>IByteBuffer</c> writes are encrypted; Flush flushes them; writes made before the
/// handshake finished are held and sent after it;</item>
/// <item>exactly one <see cref="TlsHandshakeCompletedEvent"/>; a failed or timed-out handshake closes
/// the connection;</item>
/// <item>back-pressure: with AutoRead off, nothing is decrypted or read from the socket beyond
/// what <c>Read()</c> asked for; inbound bytes queued in the handler are bounded;</item>
/// <item>a close through the pipeline sends close_notify first, waiting at most
/// <see cref="TlsOptions.CloseNotifyTimeout"/> for it to reach the socket.</item>
/// </list>
/// <para>
/// Why the seam is "a handler per connection" and not an <c>ITlsSession</c> that one common handler
/// drives: the two kinds of engine have opposite control flow. SslStream pulls: it awaits reads
/// from an inner stream and must be fed through an async mediation stream. A memory-BIO engine
/// (OpenSSL called directly, the planned native engine) is pushed: bytes go into a BIO and
/// SSL_read/SSL_write run synchronously on the event loop, with no await anywhere (FACTS.md: the
/// OpenSSL error queue is per thread and an await between a call and its error read is a bug). A
/// session interface shaped for one of them forces the other to emulate it (a synchronous
/// push API cannot drive SslStream; an async pull API would make the native engine allocate
/// state machines and hop threads, which is what cost 789 us instead of 553 us per handshake in
/// the spike). At handler level each engine runs its natural model, and what they share (options,
/// certificate loading and reload, metrics, logs, the completion event, the resumption check) is
/// in engine-neutral types of this folder.
/// </para>
/// </remarks>
public interface ITlsEngine : IDisposable
{
    /// <summary>Engine kind, for logs and metrics.</summary>
    TlsEngineKind Kind { get; }

    /// <summary>The certificate new connections get; changes when the files are reloaded.</summary>
    TlsCertificateInfo Certificate { get; }

    /// <summary>
    /// A new handler for one accepted connection (handlers are not sharable). It takes the
    /// current certificate generation; a later reload does not affect this connection.
    /// </summary>
    IChannelHandler CreateHandler();
}
