using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using System.Text.Unicode;
using Fluid;
using Fluid.Values;

namespace EventProcessor.Activities.Email;

/// <summary>A mail ready to send: a one-line subject and the two bodies.</summary>
public sealed record RenderedEmail(string Subject, string Html, string Text);

/// <summary>
/// Renders the Liquid templates embedded in this assembly. Every template is parsed once, at
/// construction, so a broken template stops the worker at start-up instead of failing an event.
/// A model lacking a required field fails before anything is rendered, and variables are strict,
/// so a mail is never sent half-empty. HTML values are HTML-encoded; the text part is left as is.
/// </summary>
public sealed partial class EmailTemplateRenderer
{
    private const string ResourcePrefix = "EventProcessor.Activities.Email.Templates.";

    private static readonly FluidParser Parser = new();

    // Keeps accented letters readable in the HTML source while still encoding <, >, &, quotes.
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    // Every declared field is set (nil when absent), so reaching Undefined means the template uses a
    // field its definition lacks: a template bug that must not produce a half-empty mail.
    private readonly TemplateOptions options = new()
    {
        StrictFilters = true,
        CultureInfo = CultureInfo.InvariantCulture,
        Undefined = name => throw new UndeclaredFieldException(name),
    };
    private readonly Dictionary<string, ParsedTemplate> templates;
    private readonly IFluidTemplate htmlLayout;
    private readonly IFluidTemplate textLayout;

    public EmailTemplateRenderer()
    {
        htmlLayout = Load("_layout.html");
        textLayout = Load("_layout.text");
        templates = EmailTemplates.All.Values.ToDictionary(
            d => d.Name,
            d => new ParsedTemplate(d, Load($"{d.Name}.subject"), Load($"{d.Name}.html"), Load($"{d.Name}.text")),
            StringComparer.Ordinal);
    }

    /// <summary>
    /// Checks that <paramref name="templateName"/> exists and <paramref name="model"/> has every field it
    /// requires, in the right form; throws a non-retryable failure naming the template and the field.
    /// </summary>
    public EmailTemplateDefinition Validate(string templateName, IReadOnlyDictionary<string, string?> model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var template = Find(templateName);
        foreach (var field in template.Definition.Fields.Where(f => !IsRecipientField(f)))
        {
            _ = ToFluidValue(template.Definition.Name, field, model.GetValueOrDefault(field.Name));
        }

        return template.Definition;
    }

    public RenderedEmail Render(string templateName, IReadOnlyDictionary<string, string?> model, EmailRecipient recipient)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(recipient);
        var template = Find(templateName);
        var context = new TemplateContext(options);
        foreach (var field in template.Definition.Fields)
        {
            var raw = field.Name switch
            {
                "recipientEmail" => recipient.Email,
                "recipientName" => recipient.Name,
                _ => model.GetValueOrDefault(field.Name),
            };
            context.SetValue(field.Name, ToFluidValue(template.Definition.Name, field, raw));
        }

        var subject = OneLine(RenderPart(template, "subject", template.Subject, context, NullEncoder.Default));
        if (subject.Length == 0)
        {
            throw EmailFailure.Permanent(EmailFailure.TemplateInvalid, $"Template '{templateName}' rendered an empty subject.");
        }

        var htmlBody = RenderPart(template, "html", template.Html, context, Html);
        var textBody = RenderPart(template, "text", template.Text, context, NullEncoder.Default);

        var layout = new TemplateContext(options);
        layout.SetValue("subject", new StringValue(subject));
        layout.SetValue("content", new StringValue(htmlBody));
        var html = htmlLayout.Render(layout, Html);
        layout.SetValue("content", new StringValue(BlankLines().Replace(textBody.Replace("\r\n", "\n", StringComparison.Ordinal), "\n\n").Trim()));
        var text = textLayout.Render(layout, NullEncoder.Default);
        return new RenderedEmail(subject, html, text);
    }

    private static bool IsRecipientField(EmailField field) => EmailTemplates.RecipientFields.Any(r => r.Name == field.Name);

    private ParsedTemplate Find(string templateName) =>
        templates.GetValueOrDefault(templateName ?? string.Empty)
        ?? throw EmailFailure.Permanent(EmailFailure.TemplateUnknown,
            $"There is no email template '{templateName}'; known templates: {string.Join(", ", templates.Keys.Order(StringComparer.Ordinal))}.");

    private static FluidValue ToFluidValue(string template, EmailField field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return field.Required
                ? throw EmailFailure.Permanent(EmailFailure.ModelInvalid,
                    $"Template '{template}' needs model field '{field.Name}', which is missing or empty; no mail was sent.")
                : NilValue.Instance;
        }

        switch (field.Kind)
        {
            case EmailFieldKind.Flag when bool.TryParse(value, out var flag):
                return BooleanValue.Create(flag);
            case EmailFieldKind.Flag:
                throw EmailFailure.Permanent(EmailFailure.ModelInvalid,
                    $"Template '{template}' model field '{field.Name}' must be 'true' or 'false'; no mail was sent.");
            case EmailFieldKind.Url when !Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"):
                var shown = field.Secret ? "its value is secret and not shown" : $"not '{Truncate(value)}'";
                throw EmailFailure.Permanent(EmailFailure.ModelInvalid,
                    $"Template '{template}' model field '{field.Name}' must be an absolute http(s) URL ({shown}); no mail was sent.");
            default:
                return new StringValue(value.Trim());
        }
    }

    private static string RenderPart(ParsedTemplate template, string part, IFluidTemplate fluid, TemplateContext context, TextEncoder encoder)
    {
        try
        {
            return fluid.Render(context, encoder);
        }
        catch (UndeclaredFieldException ex)
        {
            throw EmailFailure.Permanent(EmailFailure.TemplateInvalid,
                $"Template '{template.Definition.Name}' ({part} part) uses '{ex.Field}', which is not one of its declared model fields.");
        }
        catch (FluidException ex)
        {
            throw EmailFailure.Permanent(EmailFailure.TemplateInvalid,
                $"Template '{template.Definition.Name}' ({part} part) cannot be rendered: {ex.Message}");
        }
    }

    private static string Truncate(string text) => text.Length <= 100 ? text : text[..100] + "...";

    private static string OneLine(string text) => Whitespace().Replace(text, " ").Trim();

    private static IFluidTemplate Load(string name)
    {
        var resource = ResourcePrefix + name + ".liquid";
        using var stream = typeof(EmailTemplateRenderer).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The email template resource '{resource}' is not embedded in the assembly.");
        using var reader = new StreamReader(stream);
        var source = reader.ReadToEnd();
        return Parser.TryParse(source, out var template, out var error)
            ? template
            : throw new InvalidOperationException($"The email template '{name}' does not parse: {error}");
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    // Optional sections that render nothing leave runs of empty lines in the text part.
    [GeneratedRegex(@"\n[ \t]*(\n[ \t]*)+\n")]
    private static partial Regex BlankLines();

#pragma warning disable CA1064 // never leaves this class
    private sealed class UndeclaredFieldException(string field) : Exception($"Undeclared field '{field}'.")
#pragma warning restore CA1064
    {
        public string Field { get; } = field;
    }

    private sealed record ParsedTemplate(EmailTemplateDefinition Definition, IFluidTemplate Subject, IFluidTemplate Html, IFluidTemplate Text);
}
