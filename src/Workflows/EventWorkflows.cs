using EventProcessor.Events.Catalog;
using Temporalio.Workflows;

namespace EventProcessor.Workflows;

/// <summary>
/// The event workflows of this assembly: every class that declares <see cref="IEventWorkflow{TDetail}"/>.
/// Nothing lists them by hand; the catalog (<see cref="EventCatalog"/>) stays the only list of event
/// types, and <see cref="CatalogMismatches()"/> checks that the declarations cover it exactly.
/// </summary>
public static class EventWorkflows
{
    /// <summary>Every event workflow class, ordered by name, for worker registration.</summary>
    public static IReadOnlyList<Type> Types { get; } = Discover();

    /// <summary>The detail record <paramref name="workflow"/> declares it handles, or null when it declares none.</summary>
    public static Type? DetailOf(Type workflow)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        return Declarations(workflow).FirstOrDefault();
    }

    /// <summary>
    /// What keeps the declarations from matching the catalog, one sentence each; empty when every
    /// catalog entry has exactly one workflow declaring its detail record, named by the entry's
    /// workflow type and taking its input, and no workflow declares a detail the catalog lacks.
    /// </summary>
    public static IReadOnlyList<string> CatalogMismatches() => CatalogMismatches(Types);

    /// <summary>The same check over <paramref name="workflows"/> (tests feed it broken sets).</summary>
    public static IReadOnlyList<string> CatalogMismatches(IEnumerable<Type> workflows)
    {
        ArgumentNullException.ThrowIfNull(workflows);
        var problems = new List<string>();
        var declared = new List<(Type Workflow, Type Detail)>();
        foreach (var workflow in workflows)
        {
            var details = Declarations(workflow).ToList();
            if (details.Count != 1)
            {
                problems.Add($"{workflow.Name} declares {details.Count} event details; an event workflow handles exactly one.");
            }

            declared.AddRange(details.Select(d => (workflow, d)));
        }

        foreach (var entry in EventCatalog.All)
        {
            var handlers = declared.Where(d => d.Detail == entry.DetailRecordType).Select(d => d.Workflow).ToList();
            if (handlers.Count != 1)
            {
                problems.Add($"{entry.DetailType} ({entry.DetailRecordType.Name}) has {handlers.Count} workflows declaring it ({string.Join(", ", handlers.Select(h => h.Name))}); it needs exactly one.");
                continue;
            }

            var definition = WorkflowDefinition.Create(handlers[0]);
            if (definition.Name != entry.WorkflowType)
            {
                problems.Add($"{handlers[0].Name} handles {entry.DetailType} but its Temporal workflow name is {definition.Name}, not {entry.WorkflowType}.");
            }

            var parameters = definition.RunMethod.GetParameters();
            if (parameters.Length != 1 || parameters[0].ParameterType != entry.InputType)
            {
                problems.Add($"{handlers[0].Name}'s run method must take exactly one {Name(entry.InputType)}, not ({string.Join(", ", parameters.Select(p => Name(p.ParameterType)))}).");
            }
        }

        foreach (var (workflow, detail) in declared.Where(d => !EventCatalog.All.Any(e => e.DetailRecordType == d.Detail)))
        {
            problems.Add($"{workflow.Name} declares {detail.Name}, which no catalog entry has.");
        }

        return problems;
    }

    /// <summary>Throws, naming every mismatch, unless the declarations match the catalog; the worker calls it before it registers anything.</summary>
    /// <exception cref="InvalidOperationException">A catalog entry lacks its workflow, or a workflow does not fit its entry.</exception>
    public static void EnsureMatchesCatalog()
    {
        var problems = CatalogMismatches();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException($"The event workflows do not match the event catalog: {string.Join(" ", problems)}");
        }
    }

    // Scanning the assembly is safe because the worker is not published trimmed: every class stays.
    private static List<Type> Discover() =>
        [.. typeof(EventWorkflows).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && Declarations(t).Any())
            .OrderBy(t => t.Name, StringComparer.Ordinal)];

    private static IEnumerable<Type> Declarations(Type workflow) =>
        workflow.GetInterfaces()
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEventWorkflow<>))
            .Select(i => i.GetGenericArguments()[0]);

    private static string Name(Type type) =>
        type.IsGenericType ? $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", type.GetGenericArguments().Select(Name))}>" : type.Name;
}
