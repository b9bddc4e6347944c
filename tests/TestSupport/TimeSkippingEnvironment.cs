using Microsoft.Extensions.Logging;
using Temporalio.Api.TestService.V1;
using Temporalio.Client;
using Temporalio.Client.Interceptors;
using Temporalio.Testing;

namespace EventProcessor.TestSupport;

/// <summary>
/// A <see cref="WorkflowEnvironment"/> on a server with Temporal's TestService (the embedded server
/// started with time skipping, or a test server at <c>TEMPORAL_ADDRESS</c>), used the way the SDK's
/// own time-skipping environment uses it (Temporalio.Testing.WorkflowEnvironment.EphemeralServerBased
/// and TimeSkippingClientInterceptor): the server starts with skipping locked; a workflow handle
/// from <see cref="Client"/> unlocks it while <c>GetResultAsync</c> waits and locks it again after;
/// <see cref="DelayAsync"/> is TestService UnlockTimeSkippingWithSleep. Not for concurrent tests:
/// the lock is the whole server's.
/// </summary>
public sealed class TimeSkippingEnvironment : WorkflowEnvironment
{
    private readonly TemporalClient raw;
    private bool autoTimeSkipping = true;

    internal TimeSkippingEnvironment(TemporalClient client, string address, string ns)
        : base(client)
    {
        raw = client;
        Address = address;
        Namespace = ns;
        var options = (TemporalClientOptions)client.Options.Clone();
        options.Interceptors = [new Interceptor(this), .. client.Options.Interceptors ?? []];
        base.Client = new TemporalClient(client.Connection, options);
    }

    /// <summary>The client to start workflows with (its handles unlock time skipping while waiting for a result).</summary>
    public new TemporalClient Client => (TemporalClient)base.Client;

    public string Address { get; }

    public string Namespace { get; }

    public override bool SupportsTimeSkipping => true;

    /// <summary>Waits <paramref name="delay"/> of the server's time, skipping it when nothing is outstanding.</summary>
    public override async Task DelayAsync(TimeSpan delay, CancellationToken? cancellationToken = null) =>
        await raw.Connection.TestService.UnlockTimeSkippingWithSleepAsync(
            new SleepRequest { Duration = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(delay) },
            new RpcOptions { CancellationToken = cancellationToken });

    public override async Task<DateTime> GetCurrentTimeAsync() =>
        (await raw.Connection.TestService.GetCurrentTimeAsync(new())).Time.ToDateTime();

    public override async Task<T> WithAutoTimeSkippingDisabledAsync<T>(Func<Task<T>> func)
    {
        ArgumentNullException.ThrowIfNull(func);
        var wasEnabled = autoTimeSkipping;
        autoTimeSkipping = false;
        try
        {
            return await func();
        }
        finally
        {
            autoTimeSkipping = wasEnabled;
        }
    }

    /// <summary>Runs <paramref name="run"/> with time skipping unlocked, and locks it again after, as the SDK's environment does.</summary>
    public async Task<T> WithTimeSkippingUnlockedAsync<T>(Func<Task<T>> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (!autoTimeSkipping)
        {
            return await run();
        }

        await raw.Connection.TestService.UnlockTimeSkippingAsync(new());
        var succeeded = false;
        try
        {
            var result = await run();
            succeeded = true;
            await raw.Connection.TestService.LockTimeSkippingAsync(new());
            return result;
        }
        catch (Exception) when (!succeeded)
        {
            try
            {
                await raw.Connection.TestService.LockTimeSkippingAsync(new());
            }
#pragma warning disable CA1031 // the test's own failure is the one to report
            catch (Exception e)
#pragma warning restore CA1031
            {
                Logger.LogError(e, "Unable to re-lock time skipping");
            }

            throw;
        }
    }

    private sealed class Interceptor(TimeSkippingEnvironment env) : IClientInterceptor
    {
        public ClientOutboundInterceptor InterceptClient(ClientOutboundInterceptor nextInterceptor) => new Outbound(nextInterceptor, env);
    }

    private sealed class Outbound(ClientOutboundInterceptor next, TimeSkippingEnvironment env) : ClientOutboundInterceptor(next)
    {
        public override async Task<WorkflowHandle<TWorkflow, TResult>> StartWorkflowAsync<TWorkflow, TResult>(StartWorkflowInput input) =>
            new UnlockingHandle<TWorkflow, TResult>(env, await base.StartWorkflowAsync<TWorkflow, TResult>(input));
    }

    private sealed record UnlockingHandle<TWorkflow, TResult> : WorkflowHandle<TWorkflow, TResult>
    {
        private readonly TimeSkippingEnvironment env;

        public UnlockingHandle(TimeSkippingEnvironment env, WorkflowHandle<TWorkflow, TResult> underlying)
            : base(underlying.Client, underlying.Id, underlying.RunId, underlying.ResultRunId, underlying.FirstExecutionRunId) =>
            this.env = env;

        public override Task<TLocalResult> GetResultAsync<TLocalResult>(bool followRuns = true, RpcOptions? rpcOptions = null) =>
            env.WithTimeSkippingUnlockedAsync(() => base.GetResultAsync<TLocalResult>(followRuns, rpcOptions));
    }
}
