using System.Text;
using WireMock;
using WireMock.Types;
using WireMock.Util;

namespace EventProcessor.Cli.Tests.Stubs;

/// <summary>Answers in the AWS JSON protocol's shape.</summary>
internal static class AwsJson
{
    public static ResponseMessage Response(int status, string json, string contentType)
    {
        var response = new ResponseMessage { StatusCode = status };
        response.AddHeader("Content-Type", contentType);
        response.AddHeader("x-amzn-RequestId", Guid.NewGuid().ToString());
        response.BodyData = new BodyData { BodyAsString = json, DetectedBodyType = BodyType.String, Encoding = Encoding.UTF8 };
        return response;
    }

    public static string? Header(IRequestMessage request, string name) =>
        request.Headers?.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();
}
