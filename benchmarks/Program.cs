using BenchmarkDotNet.Running;

// Runs the benchmarks named on the command line (BenchmarkDotNet switcher), e.g.
//   dotnet run -c Release --project benchmarks -- --filter '*FrameCodec*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
