using System.Text.Json.Serialization;

namespace EventProcessor.Activities.HubSpot;

// DTOs of HubSpot CRM v3/v4 (HubSpot CRM API v3 objects, v4 associations). HubSpot documents most fields as optional.

/// <summary>A CRM record (contact or ticket): <c>{id, properties, createdAt, updatedAt, archived}</c>.</summary>
public sealed record HubSpotObject(
    string Id,
    IReadOnlyDictionary<string, string?>? Properties = null,
    DateTimeOffset? CreatedAt = null,
    DateTimeOffset? UpdatedAt = null,
    bool Archived = false);

/// <summary>Body of create and PATCH: <c>{"properties":{…}}</c>.</summary>
public sealed record HubSpotPropertiesRequest(IReadOnlyDictionary<string, string> Properties);

/// <summary>Body of <c>batch/upsert</c>: <c>{"inputs":[{"id","idProperty","properties"}]}</c>.</summary>
public sealed record HubSpotBatchUpsertRequest(IReadOnlyList<HubSpotUpsertInput> Inputs);

public sealed record HubSpotUpsertInput(string Id, string IdProperty, IReadOnlyDictionary<string, string> Properties);

/// <summary>
/// Answer of a batch call: 200 when every input succeeded, 207 with <c>errors[]</c> and
/// <c>numErrors</c> when some failed (a 207 is not an HTTP failure, so callers read <see cref="Errors"/>).
/// </summary>
public sealed record HubSpotBatchResponse(
    string? Status,
    IReadOnlyList<HubSpotUpsertResult>? Results,
    int? NumErrors = null,
    IReadOnlyList<HubSpotError>? Errors = null);

/// <summary>One upserted record; <see cref="New"/> is true when the upsert created it.</summary>
public sealed record HubSpotUpsertResult(
    string Id,
    IReadOnlyDictionary<string, string?>? Properties = null,
    [property: JsonPropertyName("new")] bool? New = null);

/// <summary>HubSpot's error shape, also used per input inside a batch's <c>errors[]</c>.</summary>
public sealed record HubSpotError(
    string? Status = null,
    string? Message = null,
    string? Category = null,
    string? SubCategory = null,
    string? CorrelationId = null);

/// <summary>Body of a CRM search: filters inside a group are ANDed, groups are ORed.</summary>
public sealed record HubSpotSearchRequest(
    IReadOnlyList<HubSpotFilterGroup> FilterGroups,
    IReadOnlyList<string> Properties,
    IReadOnlyList<HubSpotSort> Sorts,
    int Limit);

public sealed record HubSpotFilterGroup(IReadOnlyList<HubSpotFilter> Filters);

public sealed record HubSpotFilter(string PropertyName, string Operator, string Value);

public sealed record HubSpotSort(string PropertyName, string Direction);

/// <summary>Search answer: <c>{total, results[], paging?}</c>.</summary>
public sealed record HubSpotSearchResponse(int Total, IReadOnlyList<HubSpotObject> Results);

/// <summary>Answer of the v4 default-association PUT.</summary>
public sealed record HubSpotAssociationResponse(string? Status, IReadOnlyList<HubSpotDefaultAssociation>? Results);

public sealed record HubSpotDefaultAssociation(HubSpotObjectRef? From, HubSpotObjectRef? To, HubSpotAssociationSpec? AssociationSpec);

public sealed record HubSpotObjectRef(string Id);

public sealed record HubSpotAssociationSpec(string? AssociationCategory, int AssociationTypeId);
