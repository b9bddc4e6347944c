using System.CommandLine;
using EventProcessor.Cli.Commands;
using EventProcessor.Events.Catalog;
using EventProcessor.Events.Contracts;

namespace EventProcessor.Cli.Events;

/// <summary>
/// <c>events schema &lt;detail-type&gt;</c>: prints the published JSON Schema (draft-04) of a type,
/// the same document as <c>schemas/{detail-type}.json</c> and the schema registry's, generated from
/// the catalog that <c>events validate</c> checks against.
/// </summary>
internal static class SchemaCommand
{
    public static Command Create(CliContext context)
    {
        var detailType = new Argument<string>("detail-type") { Description = "The event's detail-type, e.g. CrawlerIncidentEvent." };
        var command = new Command("schema", "Print the JSON Schema (draft-04) of a detail-type: the whole EventBridge event, envelope and detail.");
        command.Arguments.Add(detailType);
        CommandRunner.SetAction(command, context, async (parsed, _) =>
        {
            var name = parsed.GetValue(detailType)!;
            if (!EventCatalog.TryGet(name, out var definition))
            {
                throw new CliUsageException(
                    $"'{name}' is not a detail-type of the event catalog; one of: {string.Join(", ", EventCatalog.All.Select(d => d.DetailType).Order(StringComparer.Ordinal))}.");
            }

            await context.Environment.Out.WriteAsync(EventSchemaGenerator.Generate(definition)).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }
}
