namespace NextEleven.Api.Security;

/// <summary>Marks an endpoint as needing the API key, for the OpenAPI document's security requirements.</summary>
internal sealed class RequiresApiKeyMetadata;
