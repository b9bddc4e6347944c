using System.CommandLine;
using Amazon.SQS;
using EventProcessor.Cli.Aws;
using EventProcessor.Cli.Configuration;
using EventProcessor.Cli.Events;
using EventProcessor.Cli.Output;
using EventProcessor.Cli.Runs;
using EventProcessor.Hosting;

namespace EventProcessor.Cli.Commands;

/// <summary><c>events validate</c>, <c>events send</c>, <c>events redrive</c>, <c>events schema</c>.</summary>
internal static class EventsCommands
{
    public static Command Create(CliContext context)
    {
        var events = new Command("events", "Validate, send and redrive EventBridge events.");
        events.Subcommands.Add(Validate(context));
        events.Subcommands.Add(Send(context));
        events.Subcommands.Add(Redrive(context));
        events.Subcommands.Add(SchemaCommand.Create(context));
        return events;
    }

    private static Command Validate(CliContext context)
    {
        var path = PathArgument();
        var output = Outputs.Option();
        var command = new Command("validate", "Validate events (an event file, or a directory of *.json files, one event each) as the trigger does.");
        command.Arguments.Add(path);
        command.Options.Add(output);
        CommandRunner.SetAction(command, context, (parsed, _) =>
        {
            var items = EventFiles.Load(parsed.GetValue(path)!, Parser(context));
            EventViews.WriteValidation(context.Console, Outputs.Read(parsed, output), items);
            return Task.FromResult(items.All(i => i.IsValid) ? ExitCodes.Ok : ExitCodes.SomeFailed);
        });
        return command;
    }

    private static Command Send(CliContext context)
    {
        var path = PathArgument();
        var target = new TargetOptions();
        var rate = CommonOptions.Rate();
        var command = new Command("send", "Validate the events, then (only if all are valid) send them to the intake or an EventBridge bus; reported per event.");
        command.Arguments.Add(path);
        target.AddTo(command);
        command.Options.Add(rate);
        CommandRunner.SetAction(command, context, async (parsed, cancellationToken) =>
        {
            var pacer = new Pacer(parsed.GetValue(rate));
            using var http = new HttpClient();
            var sink = target.CreateSink(context, parsed, http, pacer);
            var items = EventFiles.Load(parsed.GetValue(path)!, Parser(context));
            if (!items.All(i => i.IsValid))
            {
                EventViews.WriteValidation(context.Console, items);
                await context.Error.WriteLineAsync($"error: {items.Count(i => !i.IsValid)} invalid event(s); nothing was sent.").ConfigureAwait(false);
                return ExitCodes.SomeFailed;
            }

            var results = await sink.SendAsync(items, cancellationToken).ConfigureAwait(false);
            EventViews.WriteSent(context.Console, sink.Name, results);
            return results.All(r => r.Accepted) ? ExitCodes.Ok : ExitCodes.SomeFailed;
        });
        return command;
    }

    private static Command Redrive(CliContext context)
    {
        var queue = new Option<string>("--queue") { Description = "The dead-letter queue's URL.", Required = true };
        var dryRun = new Option<bool>("--dry-run") { Description = "Report what would be redriven; send and delete nothing." };
        var sqsEndpoint = new Option<string?>("--sqs-endpoint-url") { Description = "SQS service URL (tests, LocalStack); default AWS's for the region." };
        var target = new TargetOptions();
        var rate = CommonOptions.Rate();
        var output = Outputs.Option();
        var command = new Command("redrive", "Re-send the valid events of the trigger's dead-letter queue (deleting each only once accepted) and report the poison ones left in place.");
        command.Options.Add(queue);
        command.Options.Add(dryRun);
        command.Options.Add(sqsEndpoint);
        target.AddTo(command);
        command.Options.Add(rate);
        command.Options.Add(output);
        CommandRunner.SetAction(command, context, async (parsed, cancellationToken) =>
        {
            var format = Outputs.Read(parsed, output);
            var queueUrl = parsed.GetValue(queue)!;
            if (!Uri.TryCreate(queueUrl, UriKind.Absolute, out _))
            {
                throw new CliUsageException($"--queue '{queueUrl}' is not a queue URL (https://sqs.<region>.amazonaws.com/<account>/<name>).");
            }

            var pacer = new Pacer(parsed.GetValue(rate));
            using var http = new HttpClient();
            var dry = parsed.GetValue(dryRun);
            var sink = dry ? null : target.CreateSink(context, parsed, http, pacer);
            var aws = AwsContext.Resolve(context.Environment, parsed.GetValue(target.Region));
            var config = new AmazonSQSConfig { AuthenticationRegion = aws.Region };
            if (parsed.GetValue(sqsEndpoint) is { } url)
            {
                config.ServiceURL = url;
            }
            else
            {
                config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(aws.Region);
            }

            using var sqs = new AmazonSQSClient(aws.Credentials, config);
            var redriver = new Redriver(sqs, queueUrl, sink, Parser(context), pacer);
            var outcomes = await redriver.RedriveAsync(
                o =>
                {
                    if (format == OutputFormat.Table)
                    {
                        EventViews.WriteRedriveLine(context.Console, o);
                    }
                },
                cancellationToken).ConfigureAwait(false);
            if (format == OutputFormat.Table)
            {
                EventViews.WriteRedriveSummary(context.Console, outcomes, dry);
            }
            else
            {
                EventViews.WriteRedrive(context.Console, format, outcomes, dry);
            }

            return outcomes.All(o => o.Kind is RedriveOutcomeKind.Redriven or RedriveOutcomeKind.WouldRedrive) ? ExitCodes.Ok : ExitCodes.SomeFailed;
        });
        return command;
    }

    private static Argument<string> PathArgument() => new("path") { Description = "An event file (one EventBridge event) or a directory of *.json files." };

    // The validation settings the trigger reads too (Events:AllowedSources, src/Hosting), so the CLI accepts exactly what the trigger accepts.
    private static EventProcessor.Events.Validation.EventParser Parser(CliContext context)
    {
        try
        {
            return EventsOptions.CreateParser(CliConfiguration.Build(context.Environment, new Dictionary<string, string?>()));
        }
        catch (Exception e) when (e is InvalidSettingException or ArgumentException)
        {
            throw new CliUsageException(e.Message, e);
        }
    }

    /// <summary>Where events go: <c>--intake URL</c> or <c>--bus NAME</c> (with <c>--region</c>, <c>--endpoint-url</c>).</summary>
    private sealed class TargetOptions
    {
        public Option<string?> Intake { get; } = new("--intake") { Description = "The trigger's local intake, e.g. http://localhost:5050 (POST /events)." };

        public Option<string?> Bus { get; } = new("--bus") { Description = "An EventBridge bus name (PutEvents, credentials from the AWS SDK's chain)." };

        public Option<string?> Region { get; } = new("--region") { Description = "AWS region (default: AWS_REGION or the profile's)." };

        public Option<string?> Endpoint { get; } = new("--endpoint-url") { Description = "EventBridge endpoint (tests, LocalStack); default https://events.<region>.amazonaws.com." };

        public void AddTo(Command command)
        {
            command.Options.Add(Intake);
            command.Options.Add(Bus);
            command.Options.Add(Region);
            command.Options.Add(Endpoint);
        }

        public IEventSink CreateSink(CliContext context, ParseResult parsed, HttpClient http, Pacer pacer) =>
            SinkFactory.Create(context.Environment, http, parsed.GetValue(Intake), parsed.GetValue(Bus), parsed.GetValue(Region), parsed.GetValue(Endpoint), pacer);
    }
}
