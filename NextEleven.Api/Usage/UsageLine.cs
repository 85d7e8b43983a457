using System.Text.Json;
using System.Text.Json.Serialization;

namespace NextEleven.Api.Usage;

/// <summary>One row of the <c>usage</c> command's JSON: a client's use of one target on one UTC day.</summary>
internal sealed record UsageLine(string Date, string Client, string Target, long Requests, long InputTokens, long CachedInputTokens,
    long OutputTokens, decimal Cost);

/// <summary>The <c>usage</c> command's JSON, source-generated.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(List<UsageLine>))]
internal sealed partial class UsageCommandJsonContext : JsonSerializerContext;
