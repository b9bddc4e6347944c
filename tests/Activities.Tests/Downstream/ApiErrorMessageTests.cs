using EventProcessor.Activities.Downstream;

namespace EventProcessor.Activities.Tests.Downstream;

public sealed class ApiErrorMessageTests
{
    [Theory]
    [InlineData("""{"errorMessages":["Issue does not exist."],"errors":{}}""", "Issue does not exist.")]
    [InlineData("""{"errorMessages":[],"errors":{"summary":"You must specify a summary of the issue."}}""", "summary: You must specify a summary of the issue.")]
    [InlineData("""{"errorMessage":"The request could not be found.","i18nErrorMessage":{"i18nKey":"sd.x"}}""", "The request could not be found.")]
    [InlineData("""{"message":"Index does not exist","status":404}""", "Index does not exist")]
    [InlineData("""{"status":"error","message":"Property values were not valid","category":"VALIDATION_ERROR","correlationId":"c"}""", "Property values were not valid (VALIDATION_ERROR)")]
    [InlineData("""{"error":"Project not found","code":"not_found"}""", "Project not found (code not_found)")]
    [InlineData("Invalid signature", "Invalid signature")]
    [InlineData("<html>Bad gateway</html>", "<html>Bad gateway</html>")]
    public void Extracts_each_apis_own_message(string body, string expected) =>
        Assert.Equal(expected, ApiErrorMessage.Extract(body));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void No_body_no_message(string? body) => Assert.Null(ApiErrorMessage.Extract(body));

    [Fact]
    public void Long_bodies_are_cut()
    {
        var message = ApiErrorMessage.Extract(new string('x', 5000))!;

        Assert.Equal(303, message.Length);
        Assert.EndsWith("...", message, StringComparison.Ordinal);
    }
}
