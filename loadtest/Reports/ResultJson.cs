using System.Text.Json.Serialization;
using Chat.LoadTest.Load;

namespace Chat.LoadTest.Reports;

/// <summary>JSON of the result file and of the worker protocol (source-generated, indented for people).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, UseStringEnumConverter = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(RunResult))]
[JsonSerializable(typeof(LoadSpec))]
[JsonSerializable(typeof(WorkerResult))]
[JsonSerializable(typeof(WorkerSample))]
internal sealed partial class ResultJson : JsonSerializerContext
{
    /// <summary>Same types on one line (worker sample lines).</summary>
    /// <remarks>Lazy: static initializers of the generated half of this class may run after ours.</remarks>
    public static ResultJson Compact => s_compact ??= new(new System.Text.Json.JsonSerializerOptions(Default.Options) { WriteIndented = false });

    private static ResultJson? s_compact;
}
