namespace NextEleven.Api.OpenApi;

/// <summary>Section <c>OpenApi</c>: the document and Swagger UI are on in Development, and where Enabled is true.</summary>
internal sealed class ApiDocsOptions
{
    public const string SectionName = "OpenApi";

    public bool? Enabled { get; set; }
}
