using System.Text.Json;
using System.Text.Json.Serialization;

namespace NextEleven.Api.SystemStatus;

/// <summary>The env-status JSON, source-generated.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(EnvStatus))]
internal sealed partial class SystemStatusJsonContext : JsonSerializerContext;
