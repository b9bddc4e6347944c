namespace EventProcessor.Events.Tests;

internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string SampleEvents => Path.Combine(Root, "samples", "events");

    public static string InvalidSampleEvents => Path.Combine(SampleEvents, "invalid");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EventProcessor.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No EventProcessor.sln above {AppContext.BaseDirectory}.");
    }
}
