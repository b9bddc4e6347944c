using System.Runtime.CompilerServices;

namespace EventProcessor.TestSupport;

/// <summary>Gives each test its own task queue so tests never steal each other's tasks.</summary>
public static class TaskQueues
{
    /// <summary>A unique task queue name, prefixed with the calling test's name for readable histories.</summary>
    public static string Unique([CallerMemberName] string prefix = "test")
    {
        var shortPrefix = prefix.Length > 40 ? prefix[..40] : prefix;
        return $"{shortPrefix}-{Guid.NewGuid():N}";
    }
}
