using BenchmarkDotNet.Running;

// Runs the benchmarks named on the command line (BenchmarkDotNet switcher), e.g.
//   dotnet run -c Release --project benchmarks -- --filter '*FrameCodec*'
// GetExecutingAssembly, not typeof(Program): Chat.ChatService (referenced, internals visible) has a Program too.
BenchmarkSwitcher.FromAssembly(System.Reflection.Assembly.GetExecutingAssembly()).Run(args);
