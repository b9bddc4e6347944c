using System.Text.RegularExpressions;
using EventProcessor.TestSupport;

namespace EventProcessor.Workflows.Tests;

/// <summary>
/// The one way to write a workflow: a workflow composes the shared steps (src/Workflows outside the
/// <c>*.workflow.cs</c> files: Lookups, Search, Notifications, Support, Common) and never calls an
/// activity a step already wraps. Copies of a step drift (a lookup with another failure message, a
/// ticket without the summary clipping), so this reads the sources and names every copy.
/// </summary>
public sealed partial class StepRuleTests
{
    [Fact]
    public void No_workflow_calls_an_activity_that_a_shared_step_wraps()
    {
        var root = Path.Combine(SampleEvents.RepositoryRoot(), "src", "Workflows");
        var files = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        var workflows = files.Where(f => f.EndsWith(".workflow.cs", StringComparison.Ordinal)).ToList();
        var steps = files.Except(workflows).ToList();
        var wrapped = steps.SelectMany(f => ActivityCall().Matches(File.ReadAllText(f)).Select(Key)).ToHashSet(StringComparer.Ordinal);

        var copies = workflows
            .SelectMany(f => ActivityCall().Matches(File.ReadAllText(f))
                .Where(m => wrapped.Contains(Key(m)))
                .Select(m => $"{Path.GetRelativePath(root, f)} calls {Key(m)} directly; use the step that wraps it"))
            .ToList();

        Assert.NotEmpty(wrapped);
        Assert.Empty(copies);
    }

    private static string Key(Match call) => $"{call.Groups["type"].Value}.{call.Groups["method"].Value}";

    /// <summary>An activity call in the SDK's lambda form, e.g. <c>(PlatformActivities a) => a.GetProjectAsync(</c>.</summary>
    [GeneratedRegex(@"\((?<type>\w+Activities) \w+\) => \w+\.(?<method>\w+)\(")]
    private static partial Regex ActivityCall();
}
