using DotNetty.Transport.Channels;

namespace Chat.Tests.Multiplexing.Support;

/// <summary>
/// Event loops shared by all tests of the run, as a process shares them in production. Shutting a
/// DotNetty 0.7.6 group down waits out its whole timeout (~2 s measured), so tests do not.
/// </summary>
public static class TestLoops
{
    public static IEventLoopGroup ServerBoss { get; } = new MultithreadEventLoopGroup(1);

    public static IEventLoopGroup ServerWorkers { get; } = new MultithreadEventLoopGroup(2);

    public static IEventLoopGroup Client { get; } = new MultithreadEventLoopGroup(2);
}
