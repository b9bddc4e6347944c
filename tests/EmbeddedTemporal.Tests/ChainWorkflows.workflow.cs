using Temporalio.Exceptions;
using Temporalio.Workflows;

namespace EventProcessor.EmbeddedTemporal.Tests;

/// <summary>Fails its first run; a run created by a reset (a different run id) completes.</summary>
[Workflow]
public sealed class FailUntilResetWorkflow
{
    [WorkflowRun]
    public Task<string> RunAsync() =>
        Workflow.Info.RunId == Workflow.Info.FirstExecutionRunId
            ? throw new ApplicationFailureException("first run fails on purpose", errorType: "NeedsReset")
            : Task.FromResult("recovered after reset");
}

/// <summary>Continues as new <c>remaining</c> times, then reports how many runs the chain had.</summary>
[Workflow]
public sealed class CountdownWorkflow
{
    [WorkflowRun]
    public Task<string> RunAsync(int remaining, int runs)
    {
        if (remaining > 0)
        {
            throw Workflow.CreateContinueAsNewException((CountdownWorkflow wf) => wf.RunAsync(remaining - 1, runs + 1));
        }

        return Task.FromResult($"done after {runs + 1} runs");
    }
}

/// <summary>Runs one child workflow in the way <c>mode</c> names and reports, as a string, how the child ended.</summary>
[Workflow]
public sealed class ParentWorkflow
{
    [WorkflowRun]
    public async Task<string> RunAsync(string mode, string childId)
    {
        var options = new ChildWorkflowOptions { Id = childId };
        try
        {
            switch (mode)
            {
                case "complete":
                    return "child said " + await Workflow.ExecuteChildWorkflowAsync((QuickWorkflow wf) => wf.RunAsync("hi"), options);
                case "fail":
                    await Workflow.ExecuteChildWorkflowAsync((FailingWorkflow wf) => wf.RunAsync(), options);
                    return "child completed";
                case "timeout":
                    options.ExecutionTimeout = TimeSpan.FromSeconds(1);
                    await Workflow.ExecuteChildWorkflowAsync((WaitingWorkflow wf) => wf.RunAsync(), options);
                    return "child completed";
                case "wait":
                    await Workflow.ExecuteChildWorkflowAsync((WaitingWorkflow wf) => wf.RunAsync(), options);
                    return "child completed";
                case "cancel":
                    using (var cts = new CancellationTokenSource())
                    {
                        options.CancellationToken = cts.Token;
                        var child = await Workflow.StartChildWorkflowAsync((WaitingWorkflow wf) => wf.RunAsync(), options);
                        cts.Cancel();
                        await child.GetResultAsync();
                        return "child completed";
                    }

                default:
                    // "terminate", "request-cancel", "abandon": start the child with that close policy, then wait to be closed.
                    options.ParentClosePolicy = mode switch
                    {
                        "terminate" => ParentClosePolicy.Terminate,
                        "request-cancel" => ParentClosePolicy.RequestCancel,
                        _ => ParentClosePolicy.Abandon,
                    };
                    await Workflow.StartChildWorkflowAsync((WaitingWorkflow wf) => wf.RunAsync(), options);
                    await Workflow.WaitConditionAsync(() => false);
                    return "unreachable";
            }
        }
        catch (ChildWorkflowFailureException ex)
        {
            return ex.InnerException switch
            {
                ApplicationFailureException app => $"child failed: {app.ErrorType}",
                CanceledFailureException => "child canceled",
                TerminatedFailureException => "child terminated",
                TimeoutFailureException => "child timed out",
                _ => $"child ended: {ex.InnerException?.GetType().Name}",
            };
        }
        catch (WorkflowAlreadyStartedException)
        {
            return "child already started";
        }
    }
}

/// <summary>Signals or cancels another workflow by id and reports whether the server found it.</summary>
[Workflow]
public sealed class ExternalCallerWorkflow
{
    [WorkflowRun]
    public async Task<string> RunAsync(string action, string targetId, string item)
    {
        try
        {
            if (action == "signal")
            {
                await Workflow.GetExternalWorkflowHandle<SignalQueryWorkflow>(targetId).SignalAsync(wf => wf.AddAsync(item));
                return "signaled";
            }

            await Workflow.GetExternalWorkflowHandle(targetId).CancelAsync();
            return "cancel requested";
        }
        catch (Exception ex) when (ex is TemporalException or InvalidOperationException)
        {
            return $"failed: {ex.GetType().Name}";
        }
    }
}
