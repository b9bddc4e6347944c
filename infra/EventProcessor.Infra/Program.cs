using Amazon.CDK;
using EventProcessor.Infra;

// Under the cdk CLI, context (-c key=value) and the output folder arrive in CDK_CONTEXT_JSON and
// CDK_OUTDIR. Run on its own (dotnet run -- env=prod), key=value arguments are the context and the
// template goes to ./cdk.out, so synthesizing needs no CLI.
var standalone = string.IsNullOrEmpty(System.Environment.GetEnvironmentVariable("CDK_OUTDIR"));
var app = new App(new AppProps
{
    Outdir = standalone ? Path.GetFullPath("cdk.out") : null,
    Context = args
        .Select(arg => arg.Split('=', 2))
        .Where(pair => pair.Length == 2)
        .ToDictionary(pair => pair[0], object (pair) => pair[1], StringComparer.Ordinal),
});
string? Context(string key) => app.Node.TryGetContext(key) as string;

var environmentName = Context(SettingsLoader.EnvironmentKey) ?? "dev";
var settings = SettingsLoader.Load(
    Path.Combine(AppContext.BaseDirectory, "environments"),
    environmentName,
    Context,
    Directory.GetCurrentDirectory());

_ = new EventProcessorStack(app, $"EventProcessor-{settings.EnvironmentName}", settings, new StackProps
{
    Description = $"Event processor ({settings.EnvironmentName}): EventBridge rules, trigger Lambda, dead-letter queues, Temporal worker, alarms.",
    Env = settings.Account is null && settings.Region is null
        ? null
        : new Amazon.CDK.Environment { Account = settings.Account, Region = settings.Region },
});

var assembly = app.Synth();
if (standalone)
{
    foreach (var stack in assembly.Stacks)
    {
        Console.WriteLine($"{stack.StackName}: {stack.TemplateFullPath}");
    }
}
