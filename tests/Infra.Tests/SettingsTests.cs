namespace EventProcessor.Infra.Tests;

public sealed class SettingsTests
{
    private static readonly DeploymentSettings Valid = TestSettings.Primary("/tmp/trigger");

    private static string EnvironmentsDirectory => Path.Combine(AppContext.BaseDirectory, "environments");

    [Fact]
    public void The_test_settings_are_valid()
    {
        Assert.Empty(SettingsValidator.Validate(Valid));
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public void The_shipped_environment_files_load_and_are_valid(string environment)
    {
        var settings = SettingsLoader.Load(EnvironmentsDirectory, environment, _ => null, Path.GetTempPath());

        Assert.Equal(environment, settings.EnvironmentName);
        Assert.Empty(SettingsValidator.Validate(settings));
        Assert.NotEmpty(settings.Worker.Secrets);
    }

    [Theory]
    [InlineData("Encryption__CurrentKeyId")]
    [InlineData("Encryption__Keys__0")]
    public void A_worker_without_its_payload_key_is_rejected(string missing)
    {
        var settings = Valid with
        {
            Worker = Valid.Worker with { Secrets = Valid.Worker.Secrets.Where(s => s.Key != missing).ToDictionary() },
        };

        Assert.Contains(SettingsValidator.Validate(settings), e => e.Contains("payload encryption key is missing", StringComparison.Ordinal));
    }

    [Fact]
    public void A_worker_with_encryption_switched_off_by_secret_needs_no_key()
    {
        var settings = Valid with
        {
            Worker = Valid.Worker with
            {
                Secrets = Valid.Worker.Secrets.Where(s => !s.Key.StartsWith("Encryption__", StringComparison.Ordinal))
                    .Append(new("Encryption__Enabled", new() { Secret = TestSettings.SecretArn("encryption"), JsonKey = "enabled" }))
                    .ToDictionary(),
            },
        };

        Assert.Empty(SettingsValidator.Validate(settings));
    }

    [Theory]
    [InlineData("Jira__ApiToken")]
    [InlineData("Algolia__ApiKey")]
    [InlineData("HubSpot__AccessToken")]
    [InlineData("Pusher__Secret")]
    [InlineData("Smtp__Password")]
    [InlineData("Platform__Token")]
    [InlineData("Encryption__Keys__0")]
    [InlineData("Encryption__CurrentKeyId")]
    public void A_secret_looking_key_in_plain_environment_is_rejected(string key)
    {
        var settings = Valid with
        {
            Worker = Valid.Worker with { Environment = new Dictionary<string, string> { [key] = "plain" }, Secrets = new Dictionary<string, SecretReference>() },
        };

        Assert.Contains(SettingsValidator.Validate(settings), e => e.Contains(key, StringComparison.Ordinal) && e.Contains("looks like a secret", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Jira__BaseUrl")]
    [InlineData("Smtp__Port")]
    [InlineData("Notifications__InternalDomains__0")]
    [InlineData("Algolia__IndexName")]
    public void Ordinary_keys_may_be_given_in_plain_environment(string key)
    {
        Assert.False(WorkerConfiguration.LooksSecret(key));
    }

    [Fact]
    public void A_key_the_stack_sets_or_a_key_given_twice_is_rejected()
    {
        var settings = Valid with
        {
            Worker = Valid.Worker with
            {
                Environment = new Dictionary<string, string> { ["Temporal__Address"] = "elsewhere:7233", ["Jira__BaseUrl"] = "https://x" },
                Parameters = new Dictionary<string, string> { ["Jira__BaseUrl"] = "/p/jira" },
            },
        };

        var errors = SettingsValidator.Validate(settings);
        Assert.Contains(errors, e => e.Contains("'Temporal__Address' is set by the stack", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("'Jira__BaseUrl' is set by the stack or listed twice", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(256, 512, true)]
    [InlineData(1024, 3072, true)]
    [InlineData(256, 4096, false)]
    [InlineData(1000, 2048, false)]
    [InlineData(512, 1536, false)]
    public void Only_fargate_cpu_and_memory_combinations_are_accepted(int cpu, int memory, bool valid)
    {
        var settings = Valid with { Worker = Valid.Worker with { Cpu = cpu, MemoryMiB = memory } };
        Assert.Equal(valid, !SettingsValidator.Validate(settings).Any(e => e.Contains("Fargate size", StringComparison.Ordinal)));
    }

    [Fact]
    public void Out_of_range_retry_settings_are_rejected_with_every_problem_listed()
    {
        var settings = Valid with
        {
            Trigger = Valid.Trigger with { AsyncRetryAttempts = 3, AsyncMaxEventAgeSeconds = 30, DeliveryRetryAttempts = 200 },
            Temporal = Valid.Temporal with { Address = "no-port" },
        };

        var error = Assert.Throws<InvalidOperationException>(() => SettingsValidator.ThrowIfInvalid(settings));
        Assert.Contains("asyncRetryAttempts", error.Message, StringComparison.Ordinal);
        Assert.Contains("asyncMaxEventAgeSeconds", error.Message, StringComparison.Ordinal);
        Assert.Contains("deliveryRetryAttempts", error.Message, StringComparison.Ordinal);
        Assert.Contains("temporal.address", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_worker_image_comes_from_exactly_one_place()
    {
        var both = Valid with { Worker = Valid.Worker with { ImageUri = "ghcr.io/x/y:1" } };
        var neither = Valid with { Worker = Valid.Worker with { ImageRepository = null } };

        Assert.Contains(SettingsValidator.Validate(both), e => e.Contains("exactly one of imageRepository and imageUri", StringComparison.Ordinal));
        Assert.Contains(SettingsValidator.Validate(neither), e => e.Contains("exactly one of imageRepository and imageUri", StringComparison.Ordinal));
    }

    [Fact]
    public void A_misspelt_setting_fails_loading_instead_of_falling_back_to_its_default()
    {
        var error = Assert.Throws<InvalidOperationException>(() => SettingsLoader.Parse("""{ "trigger": { "memorySize": 1024 } }""", "typo.json"));
        Assert.Contains("typo.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("memorySize", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Context_values_override_the_file_for_the_image_and_the_trigger_code()
    {
        var context = new Dictionary<string, string>
        {
            [SettingsLoader.WorkerImageTagKey] = "2.0.0",
            [SettingsLoader.TriggerCodePathKey] = "published/trigger",
            [SettingsLoader.AccountKey] = "444455556666",
        };

        var settings = SettingsLoader.ApplyOverrides(Valid, key => context.GetValueOrDefault(key), "/work/somewhere");

        Assert.Equal("2.0.0", settings.Worker.ImageTag);
        Assert.Equal("event-processor-worker", settings.Worker.ImageRepository);
        Assert.Equal("/work/somewhere/published/trigger", settings.Trigger.CodePath);
        Assert.Equal("444455556666", settings.Account);
    }

    [Fact]
    public void An_image_uri_from_context_replaces_the_ecr_repository()
    {
        var settings = SettingsLoader.ApplyOverrides(Valid, key => key == SettingsLoader.WorkerImageUriKey ? "ghcr.io/x/worker:9" : null, "/");

        Assert.Equal("ghcr.io/x/worker:9", settings.Worker.ImageUri);
        Assert.Null(settings.Worker.ImageRepository);
        Assert.Empty(SettingsValidator.Validate(settings));
    }

    [Fact]
    public void Without_a_code_path_the_trigger_is_taken_from_the_repositorys_artifacts_folder()
    {
        var root = Directory.CreateTempSubdirectory("infra-tests-repo-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(root, "EventProcessor.sln"), "");
            var infra = Directory.CreateDirectory(Path.Combine(root, "infra")).FullName;

            Assert.Equal(Path.Combine(root, "artifacts", "trigger"), SettingsLoader.ResolveCodePath(null, infra));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void An_unknown_environment_names_the_known_ones()
    {
        var error = Assert.Throws<FileNotFoundException>(() => SettingsLoader.Load(EnvironmentsDirectory, "staging", _ => null, "/"));
        Assert.Contains("dev, prod", error.Message, StringComparison.Ordinal);
    }
}
