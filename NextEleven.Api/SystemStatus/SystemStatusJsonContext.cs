using System.Text.Json;
using System.Text.Json.Serialization;

namespace NextEleven.Api.SystemStatus;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(EnvStatus))]
internal sealed partial class SystemStatusJsonContext : JsonSerializerContext;
