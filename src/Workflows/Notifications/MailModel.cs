using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;

namespace EventProcessor.Workflows.Notifications;

/// <summary>
/// The model of one mail template: a record whose properties are the template's fields, declared
/// next to the step that sends it. Its template (<see cref="EventProcessor.Activities.Email.EmailTemplates"/>)
/// declares the same fields; a test keeps the two equal (names, required, URL, flag).
/// </summary>
public interface IMailModel
{
    /// <summary>The template this model fills, e.g. <c>ticket-commented</c>.</summary>
    static abstract string Template { get; }
}

/// <summary>
/// The one conversion from a mail record to the email activity's model, a map of strings by field
/// name (the activity's input keeps that shape, so runs started before the records existed still
/// send): each property becomes the field of its camel-case name. Text stays as is, a
/// <see cref="Uri"/> becomes its absolute form, a flag <c>true</c>/<c>false</c>, a
/// <see cref="DateTimeOffset"/> a minute in UTC (<c>2026-11-20 10:15 UTC</c>) and a
/// <see cref="DateOnly"/> a day (<c>2026-11-20</c>).
/// </summary>
public static class MailModel
{
    /// <summary>The fields of <paramref name="mail"/> by name; a property of another type is a bug of its record.</summary>
    /// <exception cref="NotSupportedException">A property of the record has a type the templates cannot show.</exception>
    public static IReadOnlyDictionary<string, string?> Fields<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] TMail>(TMail mail)
        where TMail : IMailModel
    {
        ArgumentNullException.ThrowIfNull(mail);
        return Properties<TMail>().ToDictionary(p => FieldName(p), p => Format(TMail.Template, p, p.GetValue(mail)), StringComparer.Ordinal);
    }

    /// <summary>The properties that are fields, in declaration order.</summary>
    public static IReadOnlyList<PropertyInfo> Properties<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] TMail>()
        where TMail : IMailModel =>
        [.. typeof(TMail).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0)];

    /// <summary>The template field a property fills: its name in camel case.</summary>
    public static string FieldName(PropertyInfo property)
    {
        ArgumentNullException.ThrowIfNull(property);
        return string.Concat(char.ToLowerInvariant(property.Name[0]).ToString(), property.Name[1..]);
    }

    private static string? Format(string template, PropertyInfo property, object? value) => value switch
    {
        null => null,
        string text => text,
        bool flag => flag ? "true" : "false",
        Uri link => link.AbsoluteUri,
        DateTimeOffset time => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
        DateOnly day => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ => throw new NotSupportedException($"Mail field '{FieldName(property)}' of template '{template}' is a {value.GetType().Name}; mail fields are text, links, flags, times or days."),
    };
}
