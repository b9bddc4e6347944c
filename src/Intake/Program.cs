using EventProcessor.Encryption;
using EventProcessor.Hosting;
using EventProcessor.Intake;

// intake [--urls http://127.0.0.1:5080]: the trigger's handler over HTTP, configured like the
// Lambda (Temporal__*, Events__*, Encryption__*), plus Intake:* limits.
try
{
    return await IntakeHost.RunAsync(args);
}
catch (Exception e) when (e is InvalidSettingException)
{
    await Console.Error.WriteLineAsync($"intake: {e.Message}");
    return 1;
}
