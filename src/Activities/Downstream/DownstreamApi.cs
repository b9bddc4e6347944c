namespace EventProcessor.Activities.Downstream;

/// <summary>The systems the processor calls. The name prefixes every failure type (e.g. <c>JiraNotFound</c>).</summary>
public enum DownstreamApi
{
    Jira,
    Jsm,
    Algolia,
    HubSpot,
    Pusher,
    Platform,
    Smtp,
}
