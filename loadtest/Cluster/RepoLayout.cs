namespace Chat.LoadTest.Cluster;

/// <summary>
/// Where the built server assemblies are: the repository root (the folder holding Gateway.sln above
/// this assembly) and the same build configuration as the harness (bin/&lt;Configuration&gt;/net10.0).
/// The harness project references the server projects without their assemblies, so
/// <c>dotnet run --project loadtest</c> builds them too.
/// </summary>
internal sealed class RepoLayout
{
    private RepoLayout(string root, string configuration)
    {
        Root = root;
        Configuration = configuration;
    }

    public string Root { get; }

    public string Configuration { get; }

    public string ShardDll => Built("src/ChatService", "Chat.ChatService.dll");

    public string GatewayDll => Built("src/Gateway", "Chat.Gateway.dll");

    /// <summary>This harness's own assembly (worker processes run it again).</summary>
    public static string HarnessDll => Path.Combine(AppContext.BaseDirectory, "Chat.LoadTest.dll");

    /// <summary>Finds the layout from this assembly's location; null with a reason when it cannot.</summary>
    public static RepoLayout? Find(out string? problem)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent?.Name ?? "Release";
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Gateway.sln")))
            {
                problem = null;
                return new RepoLayout(dir.FullName, configuration);
            }
        }

        problem = "Gateway.sln not found above " + AppContext.BaseDirectory;
        return null;
    }

    private string Built(string project, string assembly) => Path.Combine(Root, project, "bin", Configuration, "net10.0", assembly);
}
