using System.Text.Json.Nodes;
using Amazon.CDK;
using Amazon.CDK.Assertions;

namespace EventProcessor.Infra.Tests;

/// <summary>
/// Synthesizing starts node and takes seconds, so every test shares these stacks, all synthesized
/// once in one app: two built from test settings, and one per shipped environment file.
/// </summary>
public sealed class SynthesizedStacks : IDisposable
{
    public static readonly string[] ShippedEnvironments = ["dev", "prod"];

    private readonly string root;
    private readonly Dictionary<string, string?> previousEnvironment = [];

    public SynthesizedStacks()
    {
        // Node 20 is past its end of life for jsii 1.103; the warning would otherwise go to stderr on every run.
        SetEnvironment("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20");
        // Secret values as a developer's shell might hold them while synthesizing.
        foreach (var (key, value) in TestSettings.FakeSecretValues)
        {
            SetEnvironment(key, value);
        }

        root = Directory.CreateTempSubdirectory("infra-tests-").FullName;
        var codePath = Path.Combine(root, "trigger");
        Directory.CreateDirectory(codePath);
        File.WriteAllText(Path.Combine(codePath, "bootstrap"), "#!/bin/sh\n");

        var app = new App(new AppProps { Outdir = Path.Combine(root, "cdk.out") });
        PrimarySettings = TestSettings.Primary(codePath);
        ExistingSettings = TestSettings.Existing(codePath);
        var primary = new EventProcessorStack(app, "Primary", PrimarySettings);
        var existing = new EventProcessorStack(app, "Existing", ExistingSettings);

        // The files a deployment uses, loaded the way Program.cs loads them.
        var environments = Path.Combine(AppContext.BaseDirectory, "environments");
        var shipped = new Dictionary<string, EventProcessorStack>(StringComparer.Ordinal);
        foreach (var name in ShippedEnvironments)
        {
            var settings = SettingsLoader.Load(environments, name, key => key == SettingsLoader.TriggerCodePathKey ? codePath : null, root);
            ShippedSettings[name] = settings;
            shipped[name] = new EventProcessorStack(app, $"Shipped-{name}", settings);
        }

        var assembly = app.Synth();
        string Read(Stack stack) => File.ReadAllText(assembly.GetStackArtifact(stack.ArtifactId).TemplateFullPath);

        PrimaryJson = Read(primary);
        ExistingJson = Read(existing);
        Primary = View(PrimaryJson);
        Existing = View(ExistingJson);
        foreach (var (name, stack) in shipped)
        {
            Shipped[name] = View(Read(stack));
        }
    }

    internal DeploymentSettings PrimarySettings { get; }

    internal DeploymentSettings ExistingSettings { get; }

    internal Dictionary<string, DeploymentSettings> ShippedSettings { get; } = new(StringComparer.Ordinal);

    /// <summary>New bus and VPC, Temporal API key, secrets by ARN, alarm topic.</summary>
    public TemplateView Primary { get; }

    /// <summary>Existing bus and VPC, secrets by name, no API key, no alarm topic.</summary>
    public TemplateView Existing { get; }

    /// <summary>Stacks from <c>infra/environments/*.json</c>, by environment name.</summary>
    public Dictionary<string, TemplateView> Shipped { get; } = new(StringComparer.Ordinal);

    public string PrimaryJson { get; }

    public string ExistingJson { get; }

    public void Dispose()
    {
        foreach (var (key, value) in previousEnvironment)
        {
            System.Environment.SetEnvironmentVariable(key, value);
        }

        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; failing the run over it is not.
        }
    }

    private static TemplateView View(string json) => new(Template.FromString(json), JsonNode.Parse(json)!.AsObject());

    private void SetEnvironment(string key, string value)
    {
        previousEnvironment.TryAdd(key, System.Environment.GetEnvironmentVariable(key));
        System.Environment.SetEnvironmentVariable(key, value);
    }
}

[CollectionDefinition(Name)]
public sealed class SynthesizedCollection : ICollectionFixture<SynthesizedStacks>
{
    public const string Name = "Synthesized stacks";
}
