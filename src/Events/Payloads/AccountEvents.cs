namespace EventProcessor.Events.Payloads;

/// <summary><c>UserCreatedEvent</c>.</summary>
public sealed record UserCreatedDetail(string UserId, string Email, string? Name, string? Company) : IEventDetail;

/// <summary><c>LoginEmailDeliveredEvent</c>.</summary>
public sealed record LoginEmailDeliveredDetail(string UserId, string Email, DateTimeOffset DeliveredAt) : IEventDetail;

/// <summary><c>UserTeamInvitedEvent</c>.</summary>
public sealed record UserTeamInvitedDetail(
    string InviteId,
    string InviteeEmail,
    string TeamName,
    string AcceptUrl,
    string? InviterName) : IEventDetail;

/// <summary>
/// <c>PasswordResetRequestedEvent</c>. <see cref="ResetUrl"/> is a secret: it is kept out of
/// <see cref="ToString"/> so that it cannot reach a log through record formatting.
/// </summary>
public sealed record PasswordResetRequestedDetail(string UserId, string Email, string ResetUrl, DateTimeOffset ExpiresAt) : IEventDetail
{
    public override string ToString() =>
        $"{nameof(PasswordResetRequestedDetail)} {{ UserId = {UserId}, Email = {Email}, ResetUrl = ***, ExpiresAt = {ExpiresAt:O} }}";
}

/// <summary><c>InactiveUserDetectedEvent</c>.</summary>
public sealed record InactiveUserDetectedDetail(string UserId, string Email, DateTimeOffset LastActiveAt) : IEventDetail;
