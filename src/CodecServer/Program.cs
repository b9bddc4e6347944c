using EventProcessor.Hosting;
using EventProcessor.CodecServer;
using EventProcessor.Encryption;

try
{
    await CodecServerApp.Create(args).RunAsync();
    return 0;
}
catch (Exception ex) when (ex is InvalidSettingException)
{
    // A configuration fault is the operator's to fix: one line naming the setting, no stack trace.
    await Console.Error.WriteLineAsync($"codec server not started: {ex.Message}");
    return 2;
}
