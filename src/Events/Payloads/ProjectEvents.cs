namespace EventProcessor.Events.Payloads;

/// <summary><c>ProjectCreatedEvent</c>.</summary>
public sealed record ProjectCreatedDetail(string ProjectUuid) : IHasProjectUuid;

/// <summary><c>ProjectUpdatedEvent</c>.</summary>
public sealed record ProjectUpdatedDetail(string ProjectUuid) : IHasProjectUuid;

/// <summary><c>MetadataUpdatedEvent</c>.</summary>
public sealed record MetadataUpdatedDetail(string ProjectUuid) : IHasProjectUuid;

/// <summary><c>UserProjectAddedEvent</c>.</summary>
public sealed record UserProjectAddedDetail(string ProjectUuid, string UserId) : IHasProjectUuid;

/// <summary><c>CustomerProjectTransferredEvent</c>.</summary>
public sealed record CustomerProjectTransferredDetail(string ProjectUuid, string FromAccountId, string ToAccountId) : IHasProjectUuid;
