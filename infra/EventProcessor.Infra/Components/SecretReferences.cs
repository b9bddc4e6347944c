using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.SecretsManager;
using Constructs;

namespace EventProcessor.Infra;

internal static class SecretReferences
{
    /// <summary>
    /// An ARN is used as given, so grants name exactly that secret; a name becomes
    /// <c>name-??????</c>, the narrowest pattern Secrets Manager's random suffix allows.
    /// </summary>
    public static ISecret Resolve(Construct scope, string id, SecretReference reference) =>
        reference.IsArn
            ? Secret.FromSecretCompleteArn(scope, id, reference.Secret)
            : Secret.FromSecretNameV2(scope, id, reference.Secret);
}

internal static class Retention
{
    public static RetentionDays Days(int days) => days switch
    {
        1 => RetentionDays.ONE_DAY,
        3 => RetentionDays.THREE_DAYS,
        5 => RetentionDays.FIVE_DAYS,
        7 => RetentionDays.ONE_WEEK,
        14 => RetentionDays.TWO_WEEKS,
        30 => RetentionDays.ONE_MONTH,
        60 => RetentionDays.TWO_MONTHS,
        90 => RetentionDays.THREE_MONTHS,
        120 => RetentionDays.FOUR_MONTHS,
        150 => RetentionDays.FIVE_MONTHS,
        180 => RetentionDays.SIX_MONTHS,
        365 => RetentionDays.ONE_YEAR,
        400 => RetentionDays.THIRTEEN_MONTHS,
        545 => RetentionDays.EIGHTEEN_MONTHS,
        731 => RetentionDays.TWO_YEARS,
        1827 => RetentionDays.FIVE_YEARS,
        3653 => RetentionDays.TEN_YEARS,
        _ => throw new ArgumentOutOfRangeException(nameof(days), days, "Not a CloudWatch Logs retention period."),
    };
}
