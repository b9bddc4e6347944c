using EventProcessor.Hosting;
using Temporalio.Client.Schedules;

namespace EventProcessor.Cli.Tests.Schedules;

/// <summary>
/// <c>Reconciliation:Schedule</c> as a Temporal calendar: a calendar matches when every field
/// matches (Temporal's ScheduleCalendarSpec), so each cron field becomes the ranges it allows.
/// </summary>
public sealed class CronCalendarTests
{
    [Theory]
    [InlineData("0 3 * * *", "0 3 * * *")]
    [InlineData("30 4 * * 1-5", "30 4 * * 1-5")]
    [InlineData(" */15  0,12 1 1-6/2 * ", "0-59/15 0,12 1 1-6/2 *")]
    [InlineData("0 3 * * 7", "0 3 * * 0")]
    public void A_cron_expression_round_trips_through_the_calendar(string cron, string described)
    {
        var calendar = CronCalendar.Parse(cron);

        Assert.Equal([new ScheduleRange(0)], calendar.Second);
        Assert.Equal($"{described} (UTC)", CronCalendar.Describe(new ScheduleSpec { Calendars = [calendar] }));
    }

    [Fact]
    public void The_default_is_three_in_the_morning_every_day()
    {
        var calendar = CronCalendar.Parse(ReconciliationSettings.DefaultSchedule);

        Assert.Equal([new ScheduleRange(0)], calendar.Minute);
        Assert.Equal([new ScheduleRange(3)], calendar.Hour);
        Assert.Equal([new ScheduleRange(1, 31, 1)], calendar.DayOfMonth);
        Assert.Equal([new ScheduleRange(1, 12, 1)], calendar.Month);
        Assert.Equal([new ScheduleRange(0, 6, 1)], calendar.DayOfWeek);
    }

    [Theory]
    [InlineData("0 3 * *", "is not a five-field cron expression")]
    [InlineData("60 3 * * *", "'60' is not a valid minute field")]
    [InlineData("0 3 * JAN *", "'JAN' is not a valid month field")]
    [InlineData("0 5-3 * * *", "'5-3' is not a valid hour field")]
    [InlineData("0 3 1 * 1", "restricts both the day of month and the day of week")]
    public void A_bad_expression_says_what_is_wrong(string cron, string expected)
    {
        var failure = Assert.Throws<FormatException>(() => CronCalendar.Parse(cron));

        Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
    }
}
