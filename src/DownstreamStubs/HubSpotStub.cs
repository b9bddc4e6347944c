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
/// filters and sorts, batch upsert and read by the unique-value property <c>jira_ticket_key</c>)
/// and default ticket→contact associations. Like the real one, search lags (<see cref="SearchLag"/>,
/// <see cref="SearchLags"/>), some writes can be applied but answered 5xx (<see cref="WriteFaults"/>),
/// a second record with a unique-value property's value is refused with 400 <c>VALIDATION_ERROR</c>
/// naming the property (and no id), and a duplicate contact email with 409 "Contact already exists.
/// Existing ID: N" (HubSpot documents that answer for contacts only). <see cref="RaceNextUpsert"/> lets
/// another writer create the record just before the next upsert, which then meets that conflict.
/// Answers use HubSpot's shapes and error body <c>{status, message, correlationId, category}</c>.
/// </summary>
public sealed partial class HubSpotStub
{
    public const string DefaultAccessToken = "pat-na1-hubspot-stub-token";
    public const string ContactsUpsertPath = "/crm/v3/objects/contacts/batch/upsert";
    public const string TicketsPath = "/crm/v3/objects/tickets";
    public const string TicketSearchPath = "/crm/v3/objects/tickets/search";
    public const string TicketsUpsertPath = "/crm/v3/objects/tickets/batch/upsert";
    public const string JiraTicketKeyProperty = "jira_ticket_key";

    private readonly WireMockServer server;
    private readonly string authorization;
    private readonly Lock gate = new();
    private readonly List<Entry> contacts = [];
    private readonly List<Entry> tickets = [];
    private readonly HashSet<(string TicketId, string ContactId)> associations = [];
    private readonly TimeProvider clock;
    private long nextId = 51001;
    private bool raceNextUpsert;

    public HubSpotStub(WireMockServer server, string accessToken = DefaultAccessToken, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        this.server = server;
        this.clock = clock ?? TimeProvider.System;
        authorization = $"Bearer {accessToken}";
        Map("GET", ContactPattern(), GetContact);
        Map("PATCH", ContactPattern(), UpdateContact);
        Map("POST", ExactPattern(ContactsUpsertPath), UpsertContacts);
        Map("POST", ExactPattern(TicketSearchPath), SearchTickets);
        Map("POST", ExactPattern(TicketsPath), CreateTicket);
        Map("POST", ExactPattern(TicketsUpsertPath), UpsertTickets);
        Map("GET", TicketByAnyIdPattern(), GetTicket);
        Map("PATCH", TicketPattern(), UpdateTicket);
        Map("PUT", AssociationPattern(), Associate);
    }

    /// <summary>When true, tickets created through the API stay out of search until <see cref="CatchUpSearchIndex"/>.</summary>
    public bool SearchLags { get; set; }

    /// <summary>How long a ticket created through the API stays out of search (zero: at once).</summary>
    public TimeSpan SearchLag { get; set; }

    /// <summary>
    /// Whether <c>jira_ticket_key</c> is a unique-value property (true by default, as the product's
    /// setup requires): upserts and reads by it need that, and a second ticket with a taken value is refused.
    /// </summary>
    public bool TicketKeyIsUnique { get; set; } = true;

    /// <summary>When set, writes (upserts, creates, PATCHes, associations) are applied, and some answered 5xx.</summary>
    public StubWriteFaults? WriteFaults { get; set; }

    /// <summary>
    /// The next contact or ticket upsert meets a record another writer created a moment before with
    /// the same email or <c>jira_ticket_key</c>: the record exists afterwards and the upsert is
    /// refused with HubSpot's conflict answer (409 for a contact email, 400 <c>VALIDATION_ERROR</c>
    /// naming the property for a ticket).
    /// </summary>
    public void RaceNextUpsert()
    {
        lock (gate)
        {
            raceNextUpsert = true;
        }
    }

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

        return SetProperties(request, contact) ?? Faulted() ?? StubJson.Response(200, contact.ToJson());
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

            if (TakeRace())
            {
                var other = ContactByEmail(id) ?? NewEntry(contacts, new Dictionary<string, string> { ["email"] = id });
                return Error(409, $"Contact already exists. Existing ID: {other.Id}", "CONFLICT");
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
            return Faulted() ?? StubJson.Response(200, body);
        }

        body["numErrors"] = errors.Count;
        body["errors"] = errors;
        return Faulted() ?? StubJson.Response(207, body);
    }

    /// <summary>
    /// <c>POST /crm/v3/objects/tickets/batch/upsert</c>: each input names a unique-value property
    /// (<c>idProperty</c>) and its value (<c>id</c>); the ticket having it is updated, or one is created.
    /// </summary>
    private ResponseMessage UpsertTickets(IRequestMessage request, Match path)
    {
        if (StubJson.Body(request)?["inputs"] is not JsonArray inputs)
        {
            return Error(400, "Invalid input JSON on line 1", "VALIDATION_ERROR");
        }

        var results = new JsonArray();
        foreach (var input in inputs.OfType<JsonObject>())
        {
            var id = input["id"]?.GetValue<string>() ?? string.Empty;
            var idProperty = input["idProperty"]?.GetValue<string>();
            if (idProperty != JiraTicketKeyProperty || !TicketKeyIsUnique)
            {
                return Error(400, $"Property '{idProperty}' is not a unique value property of tickets, so it cannot be used as idProperty.", "VALIDATION_ERROR");
            }

            var properties = Properties(input["properties"]);
            properties[JiraTicketKeyProperty] = id;
            if (TakeRace())
            {
                _ = TicketByKey(id) ?? NewTicket(properties);
                return DuplicateValue(id);
            }

            var ticket = TicketByKey(id);
            var created = ticket is null;
            if (created)
            {
                var missing = new[] { "subject", "hs_pipeline_stage" }.Where(p => string.IsNullOrEmpty(properties.GetValueOrDefault(p))).ToList();
                if (missing.Count > 0)
                {
                    return Error(400, $"Property values were not valid: missing required properties {string.Join(", ", missing)}", "VALIDATION_ERROR");
                }

                ticket = NewTicket(properties);
            }
            else
            {
                foreach (var (name, value) in properties)
                {
                    ticket!.Properties[name] = value;
                }

                ticket!.UpdatedAt = clock.GetUtcNow();
            }

            var result = ticket.ToJson();
            result["new"] = created;
            results.Add(result);
        }

        return Faulted() ?? StubJson.Response(200, new JsonObject
        {
            ["status"] = "COMPLETE",
            ["results"] = results,
            ["startedAt"] = Timestamp(clock.GetUtcNow()),
            ["completedAt"] = Timestamp(clock.GetUtcNow()),
        });
    }

    /// <summary><c>GET /crm/v3/objects/tickets/{id}</c>, or by a unique-value property with <c>?idProperty=</c>; no search lag.</summary>
    private ResponseMessage GetTicket(IRequestMessage request, Match path)
    {
        var id = Uri.UnescapeDataString(path.Groups[1].Value);
        var idProperty = StubJson.Query(request, "idProperty");
        if (idProperty is not null && (idProperty != JiraTicketKeyProperty || !TicketKeyIsUnique))
        {
            return Error(400, $"Property '{idProperty}' is not a unique value property of tickets, so it cannot be used as idProperty.", "VALIDATION_ERROR");
        }

        var ticket = idProperty is null ? tickets.FirstOrDefault(t => t.Id == id) : TicketByKey(id);
        return ticket is null ? NotFound(id) : StubJson.Response(200, ticket.ToJson());
    }

    private ResponseMessage SearchTickets(IRequestMessage request, Match path)
    {
        var search = StubJson.Body(request) as JsonObject ?? [];
        var groups = (search["filterGroups"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var now = clock.GetUtcNow();
        var matches = tickets.Where(t => t.Searchable && t.SearchableFrom <= now && (groups.Count == 0 || groups.Any(g => Matches(t, g)))).ToList();
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
            && TicketByKey(key) is not null)
        {
            return DuplicateValue(key);
        }

        var ticket = NewTicket(properties);
        return Faulted() ?? StubJson.Response(201, ticket.ToJson());
    }

    private ResponseMessage UpdateTicket(IRequestMessage request, Match path)
    {
        var ticket = tickets.FirstOrDefault(t => t.Id == path.Groups[1].Value);
        if (ticket is null)
        {
            return NotFound(path.Groups[1].Value);
        }

        return SetProperties(request, ticket) ?? Faulted() ?? StubJson.Response(200, ticket.ToJson());
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
        return Faulted() ?? StubJson.Response(200, new JsonObject
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

    private Entry? TicketByKey(string key) =>
        tickets.FirstOrDefault(t => t.Properties.GetValueOrDefault(JiraTicketKeyProperty) == key);

    private Entry NewTicket(Dictionary<string, string> properties)
    {
        var ticket = NewEntry(tickets, properties);
        ticket.Searchable = !SearchLags;
        ticket.SearchableFrom = clock.GetUtcNow() + SearchLag;
        return ticket;
    }

    private bool TakeRace()
    {
        var race = raceNextUpsert;
        raceNextUpsert = false;
        return race;
    }

    /// <summary>
    /// HubSpot's answer to a second record with a unique-value property's value: a 400
    /// <c>VALIDATION_ERROR</c> that names the property and value, not the record holding it.
    /// </summary>
    private static ResponseMessage DuplicateValue(string key) =>
        StubJson.Response(400, new JsonObject
        {
            ["status"] = "error",
            ["message"] = $"Property values were not valid: [{{\"isValid\":false,\"message\":\"{key} already has that value on another object\",\"error\":\"INVALID_PROPERTY_VALUE_UNIQUE\",\"name\":\"{JiraTicketKeyProperty}\"}}]",
            ["correlationId"] = Guid.NewGuid().ToString(),
            ["category"] = "VALIDATION_ERROR",
        });

    private ResponseMessage? Faulted()
    {
        if (WriteFaults is not { } faults || !faults.NextWriteFails())
        {
            return null;
        }

        return Error(faults.Status, "Bad Gateway: the write was applied, but its answer was lost on the way back.", "BAD_GATEWAY");
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
        var now = clock.GetUtcNow();
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

    [GeneratedRegex("^/crm/v3/objects/tickets/(?!search$|batch/)([^/]+)$")]
    private static partial Regex TicketByAnyIdPattern();

    [GeneratedRegex("^/crm/v4/objects/tickets/([0-9]+)/associations/default/contacts/([0-9]+)$")]
    private static partial Regex AssociationPattern();

    private sealed class Entry(string id, Dictionary<string, string> properties, DateTimeOffset createdAt)
    {
        public string Id { get; } = id;

        public Dictionary<string, string> Properties { get; } = properties;

        public DateTimeOffset CreatedAt { get; } = createdAt;

        public DateTimeOffset UpdatedAt { get; set; }

        public bool Searchable { get; set; } = true;

        public DateTimeOffset SearchableFrom { get; set; } = DateTimeOffset.MinValue;

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
