namespace EventProcessor.Cli;

/// <summary>Exit codes scripts can branch on.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The command ran, but some items failed (invalid events, runs not re-run, poison messages left).</summary>
    public const int SomeFailed = 1;

    /// <summary>Invalid arguments or configuration: nothing was done.</summary>
    public const int Usage = 2;

    /// <summary>Stopped by Ctrl-C (or the caller's cancellation); what was done is reported and can be resumed.</summary>
    public const int Interrupted = 130;
}
