using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;

namespace EventProcessor.Cli.Aws;

/// <summary>Credentials and region from AWSSDK.Core's usual chains (env, profile, SSO, container, IMDS), unless the environment gives them.</summary>
internal sealed record AwsContext(AWSCredentials Credentials, string Region)
{
    public static AwsContext Resolve(CliEnvironment environment, string? region)
    {
        var resolvedRegion = region ?? environment.AwsRegion ?? FallbackRegionFactory.GetRegionEndpoint()?.SystemName
            ?? throw new CliUsageException("no AWS region: pass --region or set AWS_REGION.");
        AWSCredentials credentials;
        try
        {
            credentials = environment.AwsCredentials ?? DefaultAWSCredentialsIdentityResolver.GetCredentials();
        }
        catch (AmazonClientException e)
        {
            throw new CliUsageException($"no AWS credentials: {e.Message}", e);
        }

        return new AwsContext(credentials, resolvedRegion);
    }
}
