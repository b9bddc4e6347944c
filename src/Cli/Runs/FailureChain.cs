using Temporalio.Api.Failure.V1;

namespace EventProcessor.Cli.Runs;

/// <summary>Flattens Temporal's nested failures into links a person reads top to bottom.</summary>
internal static class FailureChain
{
    public static IReadOnlyList<FailureLink> Of(Failure? failure)
    {
        var links = new List<FailureLink>();
        for (var current = failure; current is not null; current = current.Cause)
        {
            links.Add(Link(current));
        }

        return links;
    }

    /// <summary>The innermost link: where the failure started (the downstream API's answer, usually).</summary>
    public static FailureLink? Root(Failure? failure) => failure is null ? null : Of(failure)[^1];

    private static FailureLink Link(Failure failure)
    {
        var message = SecretMasker.MaskUrlSecrets(failure.Message);
        return failure.FailureInfoCase switch
        {
            Failure.FailureInfoOneofCase.ApplicationFailureInfo => new("application", failure.ApplicationFailureInfo.Type, message),
            Failure.FailureInfoOneofCase.ActivityFailureInfo => new("activity", failure.ActivityFailureInfo.ActivityType?.Name, message),
            Failure.FailureInfoOneofCase.TimeoutFailureInfo => new("timeout", failure.TimeoutFailureInfo.TimeoutType.ToString(), message),
            Failure.FailureInfoOneofCase.CanceledFailureInfo => new("canceled", null, message),
            Failure.FailureInfoOneofCase.TerminatedFailureInfo => new("terminated", null, message),
            Failure.FailureInfoOneofCase.ChildWorkflowExecutionFailureInfo => new("child workflow", failure.ChildWorkflowExecutionFailureInfo.WorkflowType?.Name, message),
            Failure.FailureInfoOneofCase.ServerFailureInfo => new("server", null, message),
            Failure.FailureInfoOneofCase.ResetWorkflowFailureInfo => new("reset", null, message),
            _ => new("failure", null, message),
        };
    }

    public static string Format(FailureLink link) =>
        link.ErrorType is null ? $"{link.Kind}: {link.Message}" : $"{link.Kind} [{link.ErrorType}]: {link.Message}";
}
