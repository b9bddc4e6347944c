using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using WireMock;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace EventProcessor.DownstreamStubs;

/// <summary>A HubSpot contact or ticket as the stub holds it.</summary>
public sealed record StubHubSpotRecord(string Id, IReadOnlyDictionary<string, string> Properties, DateTimeOffset CreatedAt);

/// <summary>
/// A stateful stand-in for HubSpot CRM v3/v4 on a WireMock server: contacts (lookup by email,
/// batch upsert by email with 207 partial failures, PATCH), tickets (create, PATCH, search with EQ
/// filters and sorts) and default ticket→contact associations. Search can be made to lag like the
/// real one (<see cref="SearchLags"/>), and <c>jira_ticket_key</c> can be made a unique-value
/// property (<see cref="TicketKeyIsUnique"/>) so a second create gets 409. Answers use HubSpot's
/// shapes and error body <c>{status, message, correlationId, category}</c>; 401 for other tokens.
/// </summary>
public sealed partial class HubSpotStub
{
    public const string DefaultAccessToken = "pat-na1-hubspot-stub-token";
    public const string ContactsUpsertPath = "/crm/v3/objects/contacts/batch/upsert";
    public const string TicketsPath = "/crm/v3/objects/tickets";
    public const string TicketSearchPath = "/crm/v3/objects/tickets/search";
    public const string JiraTicketKeyProperty = "jira_ticket_key";

    private readonly WireMockServer server;
    private readonly string authorization;
    private readonly Lock gate = new();
    private readonly List<Entry> contacts = [];
    private readonly List<Entry> tickets = [];
    private readonly HashSet<(string TicketId, string ContactId)> associations = [];
    private long nextId = 51001;

    public HubSpotStub(WireMockServer server, string accessToken = DefaultAccessToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        this.server = server;
        authorization = $"Bearer {accessToken}";
        Map("GET", ContactPattern(), GetContact);
        Map("PATCH", ContactPattern(), UpdateContact);
        Map("POST", ExactPattern(ContactsUpsertPath), UpsertContacts);
        Map("POST", ExactPattern(TicketSearchPath), SearchTickets);
        Map("POST", ExactPattern(TicketsPath), CreateTicket);
        Map("PATCH", TicketPattern(), UpdateTicket);
        Map("PUT", AssociationPattern(), Associate);
    }

    /// <summary>When true, tickets created through the API stay out of search until <see cref="CatchUpSearchIndex"/>.</summary>
    public bool SearchLags { get; set; }

    /// <summary>When true, creating a ticket whose <c>jira_ticket_key</c> is taken answers 409 naming the existing id.</summary>
    public bool TicketKeyIsUnique { get; set; }

    public string BaseUrl => server.Url!;

    public static string ContactByEmailPath(string email) => $"/crm/v3/objects/contacts/{email}";

    public static string ContactPath(string id) => $"/crm/v3/objects/contacts/{id}";

    public static string TicketPath(string id) => $"{TicketsPath}/{id}";

    public static string AssociationPath(string ticketId, string contactId) =>
        $"/crm/v4/objects/tickets/{ticketId}/associations/default/contacts/{contactId}";

    /// <summary>Adds a contact; returns its id.</summary>
    public string Contact(string email, IReadOnlyDictionary<string, string>? properties = null)
    {
        lock (gate)
        {
            var entry = NewEntry(contacts, properties);
            entry.Properties["email"] = email;
            return entry.Id;
        }
    }

    /// <summary>Adds a ticket (searchable at once); returns its id.</summary>
    public string Ticket(IReadOnlyDictionary<string, string> properties)
    {
        lock (gate)
        {
            return NewEntry(tickets, properties).Id;
        }
    }

    public StubHubSpotRecord? ContactOf(string email)
    {
        lock (gate)
        {
            return ContactByEmail(email)?.Snapshot();
        }
    }

    public IReadOnlyList<StubHubSpotRecord> Contacts()
    {
        lock (gate)
        {
            return [.. contacts.Select(c => c.Snapshot())];
        }
    }

    /// <summary>Tickets whose <c>jira_ticket_key</c> is <paramref name="jiraTicketKey"/>, oldest first.</summary>
    public IReadOnlyList<StubHubSpotRecord> TicketsFor(string jiraTicketKey)
    {
        lock (gate)
        {
            return [.. tickets.Where(t => t.Properties.GetValueOrDefault(JiraTicketKeyProperty) == jiraTicketKey).Select(t => t.Snapshot())];
        }
    }

    /// <summary>Contact ids associated with the ticket.</summary>
    public IReadOnlyList<string> ContactsAssociatedWith(string ticketId)
    {
        lock (gate)
        {
            return [.. associations.Where(a => a.TicketId == ticketId).Select(a => a.ContactId).Order(StringComparer.Ordinal)];
        }
    }

    /// <summary>Makes every ticket searchable (the index has caught up).</summary>
    public void CatchUpSearchIndex()
    {
        lock (gate)
        {
            tickets.ForEach(t => t.Searchable = true);
        }
    }

    private ResponseMessage GetContact(IRequestMessage request, Match path)
    {
        var contact = FindContact(request, path);
        return contact is null ? NotFound(path.Groups[1].Value) : StubJson.Response(200, contact.ToJson());
    }

    private ResponseMessage UpdateContact(IRequestMessage request, Match path)
    {
        var contact = FindContact(request, path);
        if (contact is null)
        {
            return NotFound(path.Groups[1].Value);
        }

        return SetProperties(request, contact) ?? StubJson.Response(200, contact.ToJson());
    }

    private ResponseMessage UpsertContacts(IRequestMessage request, Match path)
    {
        if (StubJson.Body(request)?["inputs"] is not JsonArray inputs)
        {
            return Error(400, "Invalid input JSON on line 1", "VALIDATION_ERROR");
        }

        var results = new JsonArray();
        var errors = new JsonArray();
        foreach (var input in inputs.OfType<JsonObject>())
        {
            var id = input["id"]?.GetValue<string>() ?? string.Empty;
            if (input["idProperty"]?.GetValue<string>() != "email")
            {
                errors.Add(BatchError($"Upsert by '{input["idProperty"]}' is not supported here; use idProperty email.", id));
                continue;
            }

            if (!EmailPattern().IsMatch(id))
            {
                errors.Add(BatchError($"Property values were not valid: [{{\"isValid\":false,\"message\":\"Email address {id} is invalid\",\"error\":\"INVALID_EMAIL\",\"name\":\"email\"}}]", id));
                continue;
            }

            var contact = ContactByEmail(id);
            var created = contact is null;
            contact ??= NewEntry(contacts, new Dictionary<string, string> { ["email"] = id });
            foreach (var (name, value) in Properties(input["properties"]))
            {
                contact.Properties[name] = value;
            }

            contact.UpdatedAt = DateTimeOffset.UtcNow;
            var result = contact.ToJson();
            result["new"] = created;
            results.Add(result);
        }

        var body = new JsonObject
        {
            ["status"] = "COMPLETE",
            ["results"] = results,
            ["startedAt"] = Timestamp(DateTimeOffset.UtcNow),
            ["completedAt"] = Timestamp(DateTimeOffset.UtcNow),
        };
        if (errors.Count == 0)
        {
            return StubJson.Response(200, body);
        }

        body["numErrors"] = errors.Count;
        body["errors"] = errors;
        return StubJson.Response(207, body);
    }

    private ResponseMessage SearchTickets(IRequestMessage request, Match path)
    {
        var search = StubJson.Body(request) as JsonObject ?? [];
        var groups = (search["filterGroups"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var matches = tickets.Where(t => t.Searchable && (groups.Count == 0 || groups.Any(g => Matches(t, g)))).ToList();
        if ((search["sorts"] as JsonArray)?.FirstOrDefault() is JsonObject sort && sort["propertyName"]?.GetValue<string>() == "createdate")
        {
            matches = sort["direction"]?.GetValue<string>() == "DESCENDING"
                ? [.. matches.OrderByDescending(t => t.CreatedAt)]
                : [.. matches.OrderBy(t => t.CreatedAt)];
        }

        var limit = search["limit"]?.GetValue<int>() ?? 10;
        return StubJson.Response(200, new JsonObject
        {
            ["total"] = matches.Count,
            ["results"] = new JsonArray([.. matches.Take(limit).Select(t => (JsonNode)t.ToJson())]),
        });
    }

    private ResponseMessage CreateTicket(IRequestMessage request, Match path)
    {
        var properties = Properties(StubJson.Body(request)?["properties"]);
        var missing = new[] { "subject", "hs_pipeline_stage" }.Where(p => string.IsNullOrEmpty(properties.GetValueOrDefault(p))).ToList();
        if (missing.Count > 0)
        {
            return Error(400, $"Property values were not valid: missing required properties {string.Join(", ", missing)}", "VALIDATION_ERROR");
        }

        if (TicketKeyIsUnique
            && properties.GetValueOrDefault(JiraTicketKeyProperty) is { } key
            && tickets.FirstOrDefault(t => t.Properties.GetValueOrDefault(JiraTicketKeyProperty) == key) is { } existing)
        {
            // Shaped like HubSpot's documented contact conflict ("Contact already exists. Existing ID: N").
            return Error(409, $"Ticket already exists. Existing ID: {existing.Id}", "CONFLICT");
        }

        var ticket = NewEntry(tickets, properties);
        ticket.Searchable = !SearchLags;
        return StubJson.Response(201, ticket.ToJson());
    }

    private ResponseMessage UpdateTicket(IRequestMessage request, Match path)
    {
        var ticket = tickets.FirstOrDefault(t => t.Id == path.Groups[1].Value);
        if (ticket is null)
        {
            return NotFound(path.Groups[1].Value);
        }

        return SetProperties(request, ticket) ?? StubJson.Response(200, ticket.ToJson());
    }

    private ResponseMessage Associate(IRequestMessage request, Match path)
    {
        var ticketId = path.Groups[1].Value;
        var contactId = path.Groups[2].Value;
        if (tickets.All(t => t.Id != ticketId) || contacts.All(c => c.Id != contactId))
        {
            return Error(400, $"One or more of the objects to associate do not exist: ticket {ticketId}, contact {contactId}", "VALIDATION_ERROR");
        }

        associations.Add((ticketId, contactId));
        return StubJson.Response(200, new JsonObject
        {
            ["status"] = "COMPLETE",
            ["results"] = new JsonArray(new JsonObject
            {
                ["from"] = new JsonObject { ["id"] = ticketId },
                ["to"] = new JsonObject { ["id"] = contactId },
                ["associationSpec"] = new JsonObject { ["associationCategory"] = "HUBSPOT_DEFINED", ["associationTypeId"] = 16 },
            }),
            ["startedAt"] = Timestamp(DateTimeOffset.UtcNow),
            ["completedAt"] = Timestamp(DateTimeOffset.UtcNow),
        });
    }

    private Entry? FindContact(IRequestMessage request, Match path)
    {
        var id = Uri.UnescapeDataString(path.Groups[1].Value);
        return StubJson.Query(request, "idProperty") == "email" ? ContactByEmail(id) : contacts.FirstOrDefault(c => c.Id == id);
    }

    private Entry? ContactByEmail(string email) =>
        contacts.FirstOrDefault(c => string.Equals(c.Properties.GetValueOrDefault("email"), email, StringComparison.OrdinalIgnoreCase));

    private static ResponseMessage? SetProperties(IRequestMessage request, Entry entry)
    {
        if (StubJson.Body(request)?["properties"] is not JsonObject)
        {
            return Error(400, "Invalid input JSON: properties are required", "VALIDATION_ERROR");
        }

        foreach (var (name, value) in Properties(StubJson.Body(request)?["properties"]))
        {
            entry.Properties[name] = value;
        }

        entry.UpdatedAt = DateTimeOffset.UtcNow;
        return null;
    }

    private static bool Matches(Entry entry, JsonObject group) =>
        (group["filters"] as JsonArray ?? []).OfType<JsonObject>().All(filter =>
            filter["operator"]?.GetValue<string>() == "EQ"
            && string.Equals(
                entry.Properties.GetValueOrDefault(filter["propertyName"]?.GetValue<string>() ?? string.Empty),
                filter["value"]?.GetValue<string>(),
                StringComparison.OrdinalIgnoreCase));

    private static Dictionary<string, string> Properties(JsonNode? node) =>
        (node as JsonObject ?? []).Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value is JsonValue v && v.TryGetValue<string>(out var s) ? s : p.Value!.ToJsonString(), StringComparer.Ordinal);

    private Entry NewEntry(List<Entry> list, IReadOnlyDictionary<string, string>? properties)
    {
        var now = DateTimeOffset.UtcNow;
        var entry = new Entry((nextId++).ToString(CultureInfo.InvariantCulture), new Dictionary<string, string>(properties ?? new Dictionary<string, string>(), StringComparer.Ordinal), now)
        {
            UpdatedAt = now,
        };
        list.Add(entry);
        return entry;
    }

    private static JsonObject BatchError(string message, string id) => new()
    {
        ["status"] = "error",
        ["category"] = "VALIDATION_ERROR",
        ["message"] = message,
        ["context"] = new JsonObject { ["ids"] = new JsonArray(id) },
    };

    private static ResponseMessage NotFound(string id) => Error(404, "Object not found.  objectId are usually numeric.", "OBJECT_NOT_FOUND", id);

    private static ResponseMessage Error(int status, string message, string category, string? id = null)
    {
        var body = new JsonObject
        {
            ["status"] = "error",
            ["message"] = message,
            ["correlationId"] = Guid.NewGuid().ToString(),
            ["category"] = category,
        };
        if (id is not null)
        {
            body["context"] = new JsonObject { ["id"] = new JsonArray(id) };
        }

        return StubJson.Response(status, body);
    }

    private static string Timestamp(DateTimeOffset time) => time.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private void Map(string method, Regex path, Func<IRequestMessage, Match, ResponseMessage> answer) =>
        server.Given(Request.Create().WithPath(new RegexMatcher(path.ToString())).UsingMethod(method))
            .RespondWith(Response.Create().WithCallback(request =>
            {
                if (!string.Equals(StubJson.Header(request, "Authorization"), authorization, StringComparison.Ordinal))
                {
                    return Error(401, "Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview", "INVALID_AUTHENTICATION");
                }

                lock (gate)
                {
                    return answer(request, path.Match(request.Path));
                }
            }));

    private static Regex ExactPattern(string path) => new($"^{Regex.Escape(path)}$");

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();

    [GeneratedRegex("^/crm/v3/objects/contacts/([^/]+)$")]
    private static partial Regex ContactPattern();

    [GeneratedRegex("^/crm/v3/objects/tickets/([0-9]+)$")]
    private static partial Regex TicketPattern();

    [GeneratedRegex("^/crm/v4/objects/tickets/([0-9]+)/associations/default/contacts/([0-9]+)$")]
    private static partial Regex AssociationPattern();

    private sealed class Entry(string id, Dictionary<string, string> properties, DateTimeOffset createdAt)
    {
        public string Id { get; } = id;

        public Dictionary<string, string> Properties { get; } = properties;

        public DateTimeOffset CreatedAt { get; } = createdAt;

        public DateTimeOffset UpdatedAt { get; set; }

        public bool Searchable { get; set; } = true;

        public StubHubSpotRecord Snapshot() => new(Id, new Dictionary<string, string>(Properties, StringComparer.Ordinal), CreatedAt);

        public JsonObject ToJson()
        {
            var properties = new JsonObject();
            foreach (var (name, value) in Properties.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                properties[name] = value;
            }

            properties["hs_object_id"] = Id;
            properties["createdate"] = Timestamp(CreatedAt);
            properties["lastmodifieddate"] = Timestamp(UpdatedAt);
            return new JsonObject
            {
                ["id"] = Id,
                ["properties"] = properties,
                ["createdAt"] = Timestamp(CreatedAt),
                ["updatedAt"] = Timestamp(UpdatedAt),
                ["archived"] = false,
            };
        }
    }
}
