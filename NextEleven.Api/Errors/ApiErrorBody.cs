using System.Text.Json.Serialization;

namespace NextEleven.Api.Errors;

/// <summary>The one JSON shape every error response has.</summary>
internal sealed record ApiErrorBody(
    string Error,
    string Message,
    string RequestId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? RetryAfter = null);
