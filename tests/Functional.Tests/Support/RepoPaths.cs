namespace Chat.Tests.Functional.Support;

/// <summary>Where the built server assemblies are: same configuration as this test assembly (bin/&lt;Configuration&gt;/net10.0).</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The build configuration of this test run ("Debug" or "Release").</summary>
    public static string Configuration { get; } = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    public static string ChatServiceDll => Built("src/ChatService", "Chat.ChatService.dll");

    public static string GatewayDll => Built("src/Gateway", "Chat.Gateway.dll");

    private static string Built(string project, string assembly)
    {
        var path = Path.Combine(Root, project, "bin", Configuration, "net10.0", assembly);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path} is not built (dotnet build the solution in {Configuration})");
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Gateway.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Gateway.sln not found above " + AppContext.BaseDirectory);
    }
}
