using System.Net;
using System.Text;
using System.Text.Json;
using EventProcessor.Hosting;
using EventProcessor.Intake;
using EventProcessor.LambdaTrigger.Starting;
using EventProcessor.LambdaTrigger.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace EventProcessor.LambdaTrigger.Tests.Intake;

/// <summary>The intake's answers that need no Temporal: 400s, 503 and configuration. The 202s run on the Temporal server (IntakeOnTemporalTests).</summary>
public sealed class IntakeTests
{
    [Fact]
    public async Task An_invalid_event_is_answered_400_with_its_validation_error()
    {
        var starter = new RecordingStarter();
        await using var intake = await IntakeServer.StartAsync(RuntimeHarness.Settings(Endpoints.ClosedPort()), starter);

        using var response = await intake.PostAsync(Samples.Invalid("source-not-allowed"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var rejection = Assert.Single(body.RootElement.GetProperty("rejected").EnumerateArray());
        var expected = Samples.Expected("source-not-allowed");
        Assert.Equal(expected.Code, rejection.GetProperty("code").GetString());
        Assert.Equal(expected.Message, rejection.GetProperty("message").GetString());
        Assert.Equal("source", rejection.GetProperty("problems")[0].GetProperty("field").GetString());
        Assert.Empty(starter.Calls);
    }

    [Fact]
    public async Task An_array_with_one_invalid_event_is_answered_400_and_starts_none_of_them()
    {
        var starter = RecordingStarter.Succeeding();
        await using var intake = await IntakeServer.StartAsync(RuntimeHarness.Settings(Endpoints.ClosedPort()), starter);
        var array = $"[{Samples.ValidText("UserCreatedEvent")},{Encoding.UTF8.GetString(Samples.Invalid("invalid-email"))},{Samples.ValidText("ProjectCreatedEvent")}]";

        using var response = await intake.PostAsync(Encoding.UTF8.GetBytes(array));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var rejection = Assert.Single(body.RootElement.GetProperty("rejected").EnumerateArray());
        Assert.Equal(1, rejection.GetProperty("index").GetInt32());
        Assert.Equal(Samples.Expected("invalid-email").Message, rejection.GetProperty("message").GetString());
        Assert.Empty(starter.Calls);
    }

    [Theory]
    [InlineData("{ not json", "MalformedJson")]
    [InlineData("[]", null)]
    public async Task A_body_that_holds_no_event_is_answered_400(string body, string? code)
    {
        await using var intake = await IntakeServer.StartAsync(RuntimeHarness.Settings(Endpoints.ClosedPort()), new RecordingStarter());

        using var response = await intake.PostAsync(Encoding.UTF8.GetBytes(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var rejected = json.RootElement.GetProperty("rejected");
        if (code is null)
        {
            Assert.Equal(0, rejected.GetArrayLength());
        }
        else
        {
            Assert.Equal(code, rejected[0].GetProperty("code").GetString());
        }
    }

    [Fact]
    public async Task Temporal_unavailable_is_answered_503_with_retry_after()
    {
        await using var intake = await IntakeServer.StartAsync(RuntimeHarness.Settings(Endpoints.ClosedPort()));

        using var response = await intake.PostAsync(Samples.Valid("TicketUpdatedEvent"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("was not started: could not connect to Temporal", body.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, body.RootElement.GetProperty("started").GetArrayLength());
    }

    [Fact]
    public async Task A_start_that_fails_in_a_way_nobody_mapped_is_answered_503_not_500()
    {
        // The SDK reports a call that failed without a gRPC status (a transport failure, a call
        // cancelled underneath it) as InvalidOperationException. Once this escaped as a 500, which
        // a sender must not treat as "retry"; the event was fine, so it is a 503 to resend.
        var starter = new RecordingStarter((_, _) => Task.FromException<WorkflowStartResult>(new InvalidOperationException("Cancelled")));
        await using var intake = await IntakeServer.StartAsync(RuntimeHarness.Settings(Endpoints.ClosedPort()), starter);

        using var response = await intake.PostAsync(Samples.Valid("TicketUpdatedEvent"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("was not started: starting failed unexpectedly (InvalidOperationException: Cancelled)", body.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_host_with_bad_configuration_fails_when_mapping_the_intake_naming_the_setting()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Temporal:Address"] = "no-port" });
        builder.Services.AddEventIntake(builder.Configuration);
        using var app = builder.Build();

        var error = Assert.Throws<InvalidSettingException>(() => app.MapEventIntake());

        Assert.Equal("Temporal:Address", error.Setting);
    }
}
