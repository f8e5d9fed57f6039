// The load and chaos harness: `dotnet run --project loadtest -- <scenario> [options]` (docs/loadtest.md).
return Chat.LoadTest.Scenarios.CommandLine.Run(args);
