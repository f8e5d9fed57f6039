using System.Security.Authentication;
using Chat.Gateway.Tls;
using Chat.Gateway.Tls.OpenSsl;
using DotNetty.Transport.Channels;

namespace Chat.Tests.Gateway.Tls;

[Collection("Tls")]
public sealed class TlsBackpressureTests
{
    [Theory]
    [InlineData(TlsEngineKind.SslStream)]
    [InlineData(TlsEngineKind.OpenSsl)]
    public async Task A_client_that_stops_reading_stalls_the_server_without_unbounded_buffering(TlsEngineKind engine)
    {
        using var certificates = new TestCertificates();
        certificates.WriteSeparate(TestKeyKind.EcdsaP256);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        TlsOptions options = TlsTestServer.Options(engine, certificates.CertificatePath, certificates.KeyPath);
        await using (TlsTestServer server = await TlsTestServer.StartAsync(options))
        {
            using TestClient client = await server.ConnectAsync(SslProtocols.Tls13, cts.Token);
            IChannel channel = Assert.Single(server.Channels);

            // 32 MiB is more than the socket buffers on the path can hold (~4 MiB each here), so the
            // writer must stall.
            const long total = 32L * 1024 * 1024;
            long written = 0;
            Task writer = Task.Run(
                async () =>
                {
                    var chunk = new byte[64 * 1024];
                    for (long offset = 0; offset < total; offset += chunk.Length)
                    {
                        Fill(chunk, offset);
                        await client.Ssl.WriteAsync(chunk, cts.Token);
                        Interlocked.Add(ref written, chunk.Length);
                    }
                },
                cts.Token);

            await WaitForStallAsync(channel, () => Interlocked.Read(ref written), writer, cts.Token);
            (bool autoRead, long queuedInput, long pendingOutput) = await channel.EventLoop.SubmitAsync(() =>
            {
                long queued = channel.Pipeline.Get("tls") switch
                {
                    SslStreamTlsHandler ssl => ssl.QueuedInputBytes,
                    OpenSslTlsHandler native => native.QueuedInputBytes,
                    var other => throw new InvalidOperationException("unknown TLS handler " + other),
                };
                return (channel.Configuration.AutoRead, queued, channel.Unsafe.OutboundBuffer?.TotalPendingWriteBytes() ?? 0);
            }).WaitAsync(cts.Token);
            Assert.False(autoRead);
            Assert.InRange(queuedInput, 0, SslStreamTlsHandler.MaxQueuedInputBytes);
            Assert.InRange(pendingOutput, 0, 2 * 1024 * 1024);

            // Reading again drains everything, in order.
            var buffer = new byte[64 * 1024];
            var expected = new byte[buffer.Length];
            long received = 0;
            while (received < total)
            {
                int n = await client.Ssl.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, total - received)), cts.Token);
                Assert.NotEqual(0, n);
                Fill(expected.AsSpan(0, n), received);
                Assert.True(buffer.AsSpan(0, n).SequenceEqual(expected.AsSpan(0, n)), $"echo differs after {received} bytes");
                received += n;
            }

            await writer.WaitAsync(cts.Token);
            server.Log.AssertNoErrors();
        }

        TestHygiene.AssertClean();
    }

    [Theory]
    [InlineData(TlsEngineKind.SslStream)]
    [InlineData(TlsEngineKind.OpenSsl)]
    public async Task Closing_while_the_client_does_not_read_gives_up_on_close_notify_after_the_timeout(TlsEngineKind engine)
    {
        using var certificates = new TestCertificates();
        certificates.WriteSeparate(TestKeyKind.EcdsaP256);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        TlsOptions options = TlsTestServer.Options(engine, certificates.CertificatePath, certificates.KeyPath);
        options.CloseNotifyTimeout = TimeSpan.FromMilliseconds(200);
        await using (TlsTestServer server = await TlsTestServer.StartAsync(options))
        {
            using TestClient client = await server.ConnectAsync(SslProtocols.Tls13, cts.Token);
            IChannel channel = Assert.Single(server.Channels);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);
            long written = 0;
            Task writer = Task.Run(
                async () =>
                {
                    var chunk = new byte[64 * 1024];
                    while (true)
                    {
                        await client.Ssl.WriteAsync(chunk, stop.Token);
                        Interlocked.Add(ref written, chunk.Length);
                    }
                },
                stop.Token);
            try
            {
                // Every buffer on the way back is full once the client's writes stop progressing.
                await WaitForStallAsync(channel, () => Interlocked.Read(ref written), writer, cts.Token);
                Assert.False(await channel.EventLoop.SubmitAsync(() => channel.IsWritable).WaitAsync(cts.Token));

                await channel.CloseAsync().WaitAsync(cts.Token);
                Assert.Equal(1, server.Log.Count(4003));
            }
            finally
            {
                await stop.CancelAsync();
                await writer.ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
            }

            server.Log.AssertNoErrors();
        }

        TestHygiene.AssertClean();
    }

    /// <summary>
    /// Returns once the server pushes back: its channel is not writable and has AutoRead off, and
    /// the client's writes have not progressed for 300 ms since (polled, bounded by the token).
    /// The client's progress alone is not enough: on this machine a busy server can leave the
    /// client's writes waiting for half a second while it still works through its input.
    /// </summary>
    private static async Task WaitForStallAsync(IChannel channel, Func<long> progress, Task writer, CancellationToken cancellationToken)
    {
        long last = -1;
        DateTime quietSince = DateTime.UtcNow;
        while (true)
        {
            Assert.False(writer.IsCompleted, "the writer ended although the server never got its output read: " + writer.Exception?.GetBaseException().Message);
            bool pushedBack = await channel.EventLoop.SubmitAsync(() => !channel.IsWritable && !channel.Configuration.AutoRead).WaitAsync(cancellationToken);
            long now = progress();
            if (now != last || !pushedBack)
            {
                last = now;
                quietSince = DateTime.UtcNow;
            }
            else if (DateTime.UtcNow - quietSince > TimeSpan.FromMilliseconds(300))
            {
                return;
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    private static void Fill(Span<byte> target, long offset)
    {
        for (int i = 0; i < target.Length; i++)
        {
            long position = offset + i;
            target[i] = (byte)(position ^ (position >> 8) ^ (position >> 16));
        }
    }
}
