using EventProcessor.Intake;
using EventProcessor.LambdaTrigger.Starting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EventProcessor.LambdaTrigger.Tests.Support;

/// <summary>A host that maps the intake the way other hosts will: AddEventIntake + MapEventIntake, on loopback.</summary>
internal sealed class IntakeServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private IntakeServer(WebApplication app, HttpClient http)
    {
        this.app = app;
        Http = http;
    }

    public HttpClient Http { get; }

    public static async Task<IntakeServer> StartAsync(IDictionary<string, string?> settings, IWorkflowStarter? starter = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(settings);
        if (starter is not null)
        {
            builder.Services.AddSingleton(starter);
        }

        builder.Services.AddEventIntake(builder.Configuration);
        var app = builder.Build();
        app.MapEventIntake();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new IntakeServer(app, new HttpClient { BaseAddress = new Uri(address) });
    }

    public Task<HttpResponseMessage> PostAsync(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");
        return Http.PostAsync(new Uri("/events", UriKind.Relative), content);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
