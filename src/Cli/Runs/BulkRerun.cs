using Temporalio.Client;

namespace EventProcessor.Cli.Runs;

/// <summary>
/// Runs the plan in two passes: first every target is checked and its reset point chosen (nothing
/// changes), then, once the side effects that would happen again are confirmed, the runs are
/// reset one by one, paced, stopping cleanly between two runs when interrupted.
/// </summary>
internal sealed class BulkRerun(ITemporalClient client, RerunPlan plan, TimeProvider time, Action<RerunOutcome>? observer)
{
    /// <param name="progress">Told of each outcome as it is known.</param>
    /// <param name="confirm">
    /// Asked once, before the first reset, when runs would repeat side effects (only with
    /// <c>--from first</c>; the default holds such runs back instead). False: nothing is reset.
    /// </param>
    public async Task<BulkRerunResult> ExecuteAsync(
        Action<RerunOutcome> progress,
        Func<IReadOnlyList<PlannedRun>, CancellationToken, Task<bool>> confirm,
        CancellationToken cancellationToken)
    {
        var state = RerunStateFile.Load(plan.StateFile);
        var resetter = new RunResetter(client, plan, state, time);
        var pacer = new Pacer(plan.Rate);
        var outcomes = new List<RerunOutcome>();
        void Add(RerunOutcome outcome)
        {
            outcomes.Add(outcome);
            progress(outcome);
            observer?.Invoke(outcome);
        }

        var ready = new List<PlannedRun>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var target in plan.Targets)
        {
            // A workflow id named twice on the command line is re-run once.
            if (!seen.Add($"{target.WorkflowId}\n{target.RunId}"))
            {
                continue;
            }

            PlannedRun planned;
            try
            {
                cancellationToken.ThrowIfCancellationRequested();
                planned = await resetter.PlanAsync(target, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return new BulkRerunResult(outcomes, Interrupted: true, state.Path);
            }

            if (planned.Decided is { } decided)
            {
                Add(decided);
            }
            else
            {
                ready.Add(planned);
            }
        }

        var repeating = ready.Where(r => r.Choice!.RepeatedSideEffects.Count > 0).ToList();
        if (repeating.Count > 0 && !await confirm(repeating, cancellationToken).ConfigureAwait(false))
        {
            return new BulkRerunResult(outcomes, Interrupted: false, state.Path) { Declined = ready.Count };
        }

        foreach (var planned in ready)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return new BulkRerunResult(outcomes, Interrupted: true, state.Path);
            }

            RerunOutcome outcome;
            try
            {
                outcome = await resetter.ResetAsync(planned, pacer, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return new BulkRerunResult(outcomes, Interrupted: true, state.Path);
            }

            Add(outcome);
        }

        return new BulkRerunResult(outcomes, Interrupted: false, state.Path);
    }
}

public sealed record BulkRerunResult(IReadOnlyList<RerunOutcome> Outcomes, bool Interrupted, string StateFile)
{
    /// <summary>Runs that were ready but not reset because the repeated side effects were not confirmed.</summary>
    public int Declined { get; init; }

    public int Count(RerunOutcomeKind kind) => Outcomes.Count(o => o.Kind == kind);
}
