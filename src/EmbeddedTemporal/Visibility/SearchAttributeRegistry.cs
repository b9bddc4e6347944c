using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using EventProcessor.EmbeddedTemporal.Frontend;

namespace EventProcessor.EmbeddedTemporal.Visibility;

/// <summary>
/// The search attributes a namespace knows: Temporal's system attributes plus registered custom
/// ones. Validates payloads named in starts and upserts as a real server does.
/// </summary>
internal sealed class SearchAttributeRegistry
{
    /// <summary>System attributes a real server lists; the predefined ones a workflow may set are marked.</summary>
    internal static readonly IReadOnlyDictionary<string, IndexedValueType> SystemAttributes = new Dictionary<string, IndexedValueType>(StringComparer.Ordinal)
    {
        ["WorkflowId"] = IndexedValueType.Keyword,
        ["RunId"] = IndexedValueType.Keyword,
        ["WorkflowType"] = IndexedValueType.Keyword,
        ["StartTime"] = IndexedValueType.Datetime,
        ["ExecutionTime"] = IndexedValueType.Datetime,
        ["CloseTime"] = IndexedValueType.Datetime,
        ["ExecutionStatus"] = IndexedValueType.Keyword,
        ["ExecutionDuration"] = IndexedValueType.Int,
        ["HistoryLength"] = IndexedValueType.Int,
        ["HistorySizeBytes"] = IndexedValueType.Int,
        ["StateTransitionCount"] = IndexedValueType.Int,
        ["TaskQueue"] = IndexedValueType.Keyword,
        ["ParentWorkflowId"] = IndexedValueType.Keyword,
        ["ParentRunId"] = IndexedValueType.Keyword,
        ["RootWorkflowId"] = IndexedValueType.Keyword,
        ["RootRunId"] = IndexedValueType.Keyword,
        ["TemporalChangeVersion"] = IndexedValueType.KeywordList,
        ["BinaryChecksums"] = IndexedValueType.KeywordList,
        ["BuildIds"] = IndexedValueType.KeywordList,
        ["BatcherUser"] = IndexedValueType.Keyword,
        ["TemporalScheduledStartTime"] = IndexedValueType.Datetime,
        ["TemporalScheduledById"] = IndexedValueType.Keyword,
        ["TemporalSchedulePaused"] = IndexedValueType.Bool,
        ["TemporalNamespaceDivision"] = IndexedValueType.Keyword,
    };

    private static readonly HashSet<string> s_settableSystemAttributes = new(StringComparer.Ordinal)
    {
        "TemporalChangeVersion", "BinaryChecksums", "BuildIds", "BatcherUser",
        "TemporalScheduledStartTime", "TemporalScheduledById", "TemporalSchedulePaused", "TemporalNamespaceDivision",
    };

    private readonly Dictionary<string, IndexedValueType> _custom = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, IndexedValueType> Custom => _custom;

    /// <summary>Registers attributes; re-registering with the same type is a no-op.</summary>
    public void Add(IReadOnlyDictionary<string, IndexedValueType> attributes)
    {
        foreach (var (name, type) in attributes)
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                throw RpcErrors.InvalidArgument("Search attribute name is empty.");
            }

            if (type == IndexedValueType.Unspecified || !Enum.IsDefined(type))
            {
                throw RpcErrors.InvalidArgument($"Unknown search attribute type: {type}.");
            }

            if (SystemAttributes.ContainsKey(name))
            {
                throw RpcErrors.InvalidArgument($"Search attribute {name} is reserved by system.");
            }

            if (_custom.TryGetValue(name, out var existing) && existing != type)
            {
                throw RpcErrors.AlreadyExists($"Search attribute {name} already exists with type {existing}.");
            }
        }

        foreach (var (name, type) in attributes)
        {
            _custom[name] = type;
        }
    }

    public void Remove(IEnumerable<string> names)
    {
        var list = names.ToList();
        foreach (var name in list.Where(n => !_custom.ContainsKey(n)))
        {
            throw RpcErrors.NotFound($"Search attribute {name} doesn't exist.");
        }

        foreach (var name in list)
        {
            _custom.Remove(name);
        }
    }

    /// <summary>At most this many attributes in one start or upsert (SearchAttributesNumberOfKeysLimit).</summary>
    public const int NumberOfKeysLimit = 100;

    /// <summary>At most this many bytes of data per value (SearchAttributesSizeOfValueLimit, 2 KB).</summary>
    public const int SizeOfValueLimit = 2 * 1024;

    /// <summary>At most this many bytes for all attributes of a request, encoded (SearchAttributesTotalSizeLimit, 40 KB).</summary>
    public const int TotalSizeLimit = 40 * 1024;

    /// <summary>
    /// Validates attributes from a start or upsert as the server's search attribute validator does
    /// (common/searchattribute/validator.go, limits from common/dynamicconfig/constants.go): the
    /// number of keys, each name registered, each value decodable as the registered type (the
    /// type the payload's "type" metadata claims is not consulted: the registered one wins), then
    /// the size of each value and of all of them. Returns them with the "type" metadata a real
    /// server's visibility adds. Unset values (null payloads) are kept as null for upserts.
    /// </summary>
    public Dictionary<string, Payload?> Validate(SearchAttributes? attributes)
    {
        var result = new Dictionary<string, Payload?>(StringComparer.Ordinal);
        if (attributes is null)
        {
            return result;
        }

        if (attributes.IndexedFields.Count > NumberOfKeysLimit)
        {
            throw RpcErrors.InvalidArgument($"number of search attributes {attributes.IndexedFields.Count} exceeds limit {NumberOfKeysLimit}");
        }

        foreach (var (name, payload) in attributes.IndexedFields)
        {
            if (!TryGetType(name, out var type))
            {
                throw RpcErrors.InvalidArgument($"search attribute {name} is not defined");
            }

            if (IsUnset(payload))
            {
                result[name] = null;
                continue;
            }

            if (!IsValidValue(payload, type))
            {
                throw RpcErrors.InvalidArgument($"invalid value for search attribute {name} of type {TypeName(type)}: {payload.Data.ToStringUtf8()}");
            }

            var typed = payload.Clone();
            typed.Metadata["type"] = ByteString.CopyFromUtf8(TypeName(type));
            result[name] = typed;
        }

        foreach (var (name, payload) in attributes.IndexedFields)
        {
            if (payload.Data.Length > SizeOfValueLimit)
            {
                throw RpcErrors.InvalidArgument($"search attribute {name} value of size {payload.Data.Length} exceeds size limit {SizeOfValueLimit}");
            }
        }

        var totalSize = attributes.CalculateSize();
        if (totalSize > TotalSizeLimit)
        {
            throw RpcErrors.InvalidArgument($"total size of search attributes {totalSize} exceeds size limit {TotalSizeLimit}");
        }

        return result;
    }

    private bool TryGetType(string name, out IndexedValueType type)
    {
        if (_custom.TryGetValue(name, out type))
        {
            return true;
        }

        return s_settableSystemAttributes.Contains(name) && SystemAttributes.TryGetValue(name, out type);
    }

    internal static string TypeName(IndexedValueType type) => type switch
    {
        IndexedValueType.Text => "Text",
        IndexedValueType.Keyword => "Keyword",
        IndexedValueType.Int => "Int",
        IndexedValueType.Double => "Double",
        IndexedValueType.Bool => "Bool",
        IndexedValueType.Datetime => "Datetime",
        IndexedValueType.KeywordList => "KeywordList",
        _ => "Unspecified",
    };

    private static bool IsUnset(Payload payload)
    {
        if (payload.Metadata.TryGetValue("encoding", out var encoding) && encoding.ToStringUtf8() == "binary/null")
        {
            return true;
        }

        var data = payload.Data.ToStringUtf8().Trim();
        return data.Length == 0 || data == "null";
    }

    private static bool IsValidValue(Payload payload, IndexedValueType type)
    {
        if (payload.Metadata.TryGetValue("encoding", out var encoding) && encoding.ToStringUtf8() != "json/plain")
        {
            return false;
        }

        try
        {
            using var doc = JsonDocument.Parse(payload.Data.Memory);
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Array && type != IndexedValueType.Text)
            {
                return root.EnumerateArray().All(e => IsValidScalar(e, type));
            }

            return IsValidScalar(root, type);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool IsValidScalar(JsonElement value, IndexedValueType type) => type switch
    {
        IndexedValueType.Keyword or IndexedValueType.Text or IndexedValueType.KeywordList => value.ValueKind == JsonValueKind.String,
        IndexedValueType.Int => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        IndexedValueType.Double => value.ValueKind == JsonValueKind.Number,
        IndexedValueType.Bool => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        IndexedValueType.Datetime => value.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _),
        _ => false,
    };
}
