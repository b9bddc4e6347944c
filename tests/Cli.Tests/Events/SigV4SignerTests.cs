using Amazon.Runtime;
using EventProcessor.Cli.Aws;

namespace EventProcessor.Cli.Tests.Events;

public sealed class SigV4SignerTests
{
    /// <summary>AWS's published SigV4 test suite, case "get-vanilla".</summary>
    [Fact]
    public void Signs_the_AWS_get_vanilla_test_vector_as_published()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://example.amazonaws.com/");
        var credentials = new ImmutableCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", null);

        SigV4Signer.Sign(request, [], credentials, "us-east-1", "service", new DateTimeOffset(2015, 8, 30, 12, 36, 0, TimeSpan.Zero));

        Assert.Equal(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
            request.Headers.GetValues("Authorization").Single());
    }
}
