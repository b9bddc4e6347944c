using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace EventProcessor.Intake;

/// <summary>
/// <c>intake [--urls http://127.0.0.1:5080]</c> (<c>dotnet run --project src/Intake</c>): the intake on
/// its own, for development. It was <c>bootstrap --intake</c> before the Lambda bundle dropped ASP.NET
/// Core; the flag is still accepted (and ignored) so scripts written for that keep working.
/// </summary>
public static class IntakeHost
{
    public const string Flag = "--intake";
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args.Where(a => a != Flag).ToArray());
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.Services.AddEventIntake(builder.Configuration);
        var app = builder.Build();
        app.MapEventIntake();
        app.MapGet("/healthz", () => Results.Text("ok"));
        return app;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        await using var app = Build(args);
        await app.RunAsync().ConfigureAwait(false);
        return 0;
    }
}
