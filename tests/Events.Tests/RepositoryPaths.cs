namespace EventProcessor.Events.Tests;

internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string SampleEvents => Path.Combine(Root, "samples", "events");

    public static string InvalidSampleEvents => Path.Combine(SampleEvents, "invalid");

    /// <summary>Samples of every earlier version of the contracts, one folder per version (<c>v1</c>, ...).</summary>
    public static string HistorySampleEvents => Path.Combine(SampleEvents, "history");

    public static string Schemas => Path.Combine(Root, "schemas");

    public static string EventsDoc => Path.Combine(Root, "docs", "events.md");

    public static string Sample(string detailType) => File.ReadAllText(Path.Combine(SampleEvents, $"{detailType}.json"));

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
