using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace EventProcessor.Events.Tests;

/// <summary>
/// The project references under <c>src/</c> follow the table "Who may reference whom" of
/// docs/architecture.md. The rules are read from the page, so the page and the check cannot drift.
/// </summary>
public partial class ArchitectureTests
{
    private const string TableHeading = "## Who may reference whom";

    public static TheoryData<string> Projects()
    {
        var data = new TheoryData<string>();
        foreach (var project in SourceProjects().Keys.Order(StringComparer.Ordinal))
        {
            data.Add(project);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void Every_project_reference_is_allowed_by_docs_architecture(string project)
    {
        var rules = Rules();
        Assert.True(rules.TryGetValue(project, out var allowed), $"src/{project} has no row in the table '{TableHeading}' of docs/architecture.md: add one naming what it may reference.");

        var forbidden = References(SourceProjects()[project]).Where(r => !allowed!.Contains(r)).ToArray();

        Assert.True(forbidden.Length == 0, $"src/{project} references {string.Join(", ", forbidden)}, which docs/architecture.md does not allow (it may reference: {(allowed!.Count == 0 ? "nothing" : string.Join(", ", allowed))}).");
    }

    [Fact]
    public void Every_row_of_the_table_names_an_existing_project()
    {
        var projects = SourceProjects();
        var rules = Rules();

        Assert.Empty(rules.Keys.Concat(rules.Values.SelectMany(v => v)).Where(name => !projects.ContainsKey(name)).Distinct());
    }

    [Fact]
    public void The_worker_and_the_cli_do_not_reference_the_lambda_trigger()
    {
        var projects = SourceProjects();

        Assert.DoesNotContain("LambdaTrigger", References(projects["Worker"]));
        Assert.DoesNotContain("LambdaTrigger", References(projects["Cli"]));
        Assert.DoesNotContain("LambdaTrigger", Rules()["Worker"]);
        Assert.DoesNotContain("LambdaTrigger", Rules()["Cli"]);
    }

    /// <summary>Each src folder (the project's short name) and its project file.</summary>
    private static Dictionary<string, string> SourceProjects() =>
        Directory.GetDirectories(Path.Combine(RepositoryPaths.Root, "src"))
            .SelectMany(dir => Directory.GetFiles(dir, "*.csproj"))
            .ToDictionary(file => Path.GetFileName(Path.GetDirectoryName(file)!), StringComparer.Ordinal);

    /// <summary>The short names (src folder names) of the projects a project file references.</summary>
    private static string[] References(string projectFile) =>
        XDocument.Load(projectFile).Descendants("ProjectReference")
            .Select(r => (string?)r.Attribute("Include") ?? throw new InvalidOperationException($"{projectFile}: a ProjectReference without Include."))
            .Select(include => Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(projectFile)!, include.Replace('\\', '/'))))!))
            .ToArray();

    /// <summary>The rows of the table under <see cref="TableHeading"/>: project, and the projects named in its second column.</summary>
    private static Dictionary<string, HashSet<string>> Rules()
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, "docs", "architecture.md"));
        var start = Array.IndexOf(lines, TableHeading);
        Assert.True(start >= 0, $"docs/architecture.md has no heading '{TableHeading}'.");

        var rules = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(start + 1).SkipWhile(l => !l.StartsWith('|')).TakeWhile(l => l.StartsWith('|')))
        {
            var cells = line.Split('|', StringSplitOptions.TrimEntries);
            var project = Code().Match(cells[1]);
            if (!project.Success)
            {
                continue; // the header and its separator
            }

            Assert.True(rules.TryAdd(project.Groups[1].Value, Code().Matches(cells[2]).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal)), $"docs/architecture.md lists {project.Groups[1].Value} twice.");
        }

        Assert.NotEmpty(rules);
        return rules;
    }

    [GeneratedRegex("`([A-Za-z]+)`")]
    private static partial Regex Code();
}
