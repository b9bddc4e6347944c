using System.Globalization;
using EventProcessor.Activities.HubSpot;
using EventProcessor.Workflows.Common;
using Temporalio.Workflows;

namespace EventProcessor.Workflows.Support;

/// <summary>
/// HubSpot contact steps keyed by email: the upsert that creates contacts (UserCreated,
/// ContactFormSubmitted) and the property update that never does (LoginEmailDelivered,
/// InactiveUserDetected: a missing contact may have been deleted on purpose).
/// </summary>
public static class HubSpotContacts
{
    /// <summary>Creates or updates the contact; only the properties the event knows are sent, so a missing name never blanks one HubSpot has.</summary>
    public static Task<HubSpotContactResult> UpsertAsync(string email, string? name, string? company)
    {
        var properties = Properties(name, company);
        return Workflow.ExecuteActivityAsync(
            (HubSpotActivities a) => a.UpsertContactAsync(email, properties),
            ActivityProfiles.HubSpot($"Upsert the HubSpot contact {email}"));
    }

    /// <summary>Sets a date-time property on the existing contact (ISO 8601 UTC, which HubSpot accepts for date-time properties).</summary>
    public static Task<HubSpotContactUpdate> SetDateTimeAsync(string email, string property, DateTimeOffset value)
    {
        var properties = new Dictionary<string, string>(StringComparer.Ordinal) { [property] = IsoDateTime(value) };
        return Workflow.ExecuteActivityAsync(
            (HubSpotActivities a) => a.SetContactPropertiesAsync(email, properties),
            ActivityProfiles.HubSpot($"Set {property} on the HubSpot contact {email}"));
    }

    /// <summary>HubSpot's default contact properties: <c>firstname</c> is the first word of the name, <c>lastname</c> the rest.</summary>
    internal static Dictionary<string, string> Properties(string? name, string? company)
    {
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        var words = (name ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length > 0)
        {
            properties["firstname"] = words[0];
        }

        if (words.Length > 1)
        {
            properties["lastname"] = string.Join(' ', words[1..]);
        }

        if (!string.IsNullOrWhiteSpace(company))
        {
            properties["company"] = company.Trim();
        }

        return properties;
    }

    internal static string IsoDateTime(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
