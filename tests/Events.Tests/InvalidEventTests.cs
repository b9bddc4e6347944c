using EventProcessor.Events.Validation;

namespace EventProcessor.Events.Tests;

public class InvalidEventTests
{
    private readonly EventParser parser = new();

    public static TheoryData<string> InvalidSamples()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(RepositoryPaths.InvalidSampleEvents, "*.json").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(InvalidSamples))]
    public void Every_invalid_sample_is_rejected_with_its_expected_error(string fileName)
    {
        var path = Path.Combine(RepositoryPaths.InvalidSampleEvents, fileName);
        var expected = ReadExpected(Path.ChangeExtension(path, ".expected.txt"));

        var error = Assert.Throws<EventValidationException>(() => parser.Parse(File.ReadAllBytes(path)));

        Assert.Equal(expected.Code, error.Code.ToString());
        Assert.Equal(expected.Message, error.Message);
    }

    [Fact]
    public void The_invalid_samples_cover_every_rejection_code()
    {
        var files = Directory.GetFiles(RepositoryPaths.InvalidSampleEvents, "*.expected.txt");
        var covered = files.Select(f => ReadExpected(f).Code).ToHashSet(StringComparer.Ordinal);

        Assert.True(files.Length >= 15, $"only {files.Length} invalid samples");
        Assert.Equal(Enum.GetNames<RejectionCode>().Order(StringComparer.Ordinal), covered.Order(StringComparer.Ordinal));
        Assert.Equal(files.Length, Directory.GetFiles(RepositoryPaths.InvalidSampleEvents, "*.json").Length);
    }

    [Fact]
    public void A_rejection_names_the_event_the_type_and_every_field_at_fault()
    {
        const string json = """
            {"version":"0","id":"evt-77","detail-type":"ReportRunStoppedEvent","source":"phoenix-projects-service",
             "account":"1","time":"2026-11-20T10:00:00Z","region":"eu-west-1","resources":[],
             "detail":{"reportId":7,"projectUuid":"p-1"}}
            """;

        var error = Assert.Throws<EventValidationException>(() => parser.Parse(json));

        Assert.Equal("evt-77", error.EventId);
        Assert.Equal("ReportRunStoppedEvent", error.DetailType);
        Assert.Equal(["detail.reportId", "detail.runId"], error.Problems.Select(p => p.Field));
        Assert.Equal([RejectionCode.WrongFieldType, RejectionCode.MissingDetailField], error.Problems.Select(p => p.Code));
        Assert.Contains("evt-77", error.Message, StringComparison.Ordinal);
        Assert.Contains("ReportRunStoppedEvent", error.Message, StringComparison.Ordinal);
    }

    private static (string Code, string Message) ReadExpected(string path)
    {
        var lines = File.ReadAllLines(path);
        return (lines.Single(l => l.StartsWith("code: ", StringComparison.Ordinal))["code: ".Length..],
            lines.Single(l => l.StartsWith("message: ", StringComparison.Ordinal))["message: ".Length..]);
    }
}
