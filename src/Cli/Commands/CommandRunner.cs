using System.CommandLine;
using EventProcessor.Hosting;

namespace EventProcessor.Cli.Commands;

/// <summary>
/// Wraps every command's action: expected failures become one line on stderr and an exit code,
/// never a stack trace in the on-call engineer's terminal.
/// </summary>
internal static class CommandRunner
{
    public static void SetAction(Command command, CliContext context, Func<ParseResult, CancellationToken, Task<int>> action) =>
        command.SetAction(async (parsed, cancellationToken) =>
        {
            try
            {
                return await action(parsed, cancellationToken).ConfigureAwait(false);
            }
            catch (CliUsageException e)
            {
                await context.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }
            catch (InvalidSettingException e)
            {
                await context.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }
            catch (CliFailureException e)
            {
                await context.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return ExitCodes.SomeFailed;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await context.Error.WriteLineAsync("interrupted.").ConfigureAwait(false);
                return ExitCodes.Interrupted;
            }
            catch (Temporalio.Exceptions.RpcException e)
            {
                await context.Error.WriteLineAsync($"error: Temporal answered {e.Code}: {e.Message}").ConfigureAwait(false);
                return ExitCodes.SomeFailed;
            }
            catch (HttpRequestException e)
            {
                await context.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return ExitCodes.SomeFailed;
            }
            catch (Amazon.Runtime.AmazonServiceException e)
            {
                await context.Error.WriteLineAsync($"error: AWS answered {e.ErrorCode ?? e.StatusCode.ToString()}: {e.Message}").ConfigureAwait(false);
                return ExitCodes.SomeFailed;
            }
            catch (Amazon.Runtime.AmazonClientException e)
            {
                await context.Error.WriteLineAsync($"error: AWS: {e.Message}").ConfigureAwait(false);
                return ExitCodes.SomeFailed;
            }
        });
}
