using Temporalio.Client;

namespace EventProcessor.Cli.Runs;

/// <summary>Runs the plan target by target, paced, stopping cleanly between two runs when interrupted.</summary>
internal sealed class BulkRerun(ITemporalClient client, RerunPlan plan, TimeProvider time, Action<RerunOutcome>? observer)
{
    public async Task<BulkRerunResult> ExecuteAsync(Action<RerunOutcome> progress, CancellationToken cancellationToken)
    {
        var state = RerunStateFile.Load(plan.StateFile);
        var resetter = new RunResetter(client, plan, state, time);
        var pacer = new Pacer(plan.Rate);
        var outcomes = new List<RerunOutcome>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var target in plan.Targets)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return new BulkRerunResult(outcomes, Interrupted: true, state.Path);
            }

            // A workflow id named twice on the command line is re-run once.
            if (!seen.Add($"{target.WorkflowId}\n{target.RunId}"))
            {
                continue;
            }

            RerunOutcome outcome;
            try
            {
                outcome = await resetter.RerunAsync(target, pacer, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return new BulkRerunResult(outcomes, Interrupted: true, state.Path);
            }

            outcomes.Add(outcome);
            progress(outcome);
            observer?.Invoke(outcome);
        }

        return new BulkRerunResult(outcomes, Interrupted: false, state.Path);
    }
}

public sealed record BulkRerunResult(IReadOnlyList<RerunOutcome> Outcomes, bool Interrupted, string StateFile)
{
    public int Count(RerunOutcomeKind kind) => Outcomes.Count(o => o.Kind == kind);
}
