using System.Text.Json.Serialization;

namespace NextEleven.Api.Operations;

/// <summary>The readiness report's JSON, source-generated.</summary>
[JsonSerializable(typeof(Dictionary<string, object?>))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class OperationsJsonContext : JsonSerializerContext;
