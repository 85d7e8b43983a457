using System.Text.Json.Serialization;

namespace NextEleven.Api.Operations;

[JsonSerializable(typeof(Dictionary<string, object?>))]
[JsonSerializable(typeof(string))]
internal sealed partial class OperationsJsonContext : JsonSerializerContext;
