using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using NextEleven.Api.Security;

namespace NextEleven.Api.OpenApi;

/// <summary>The OpenAPI document and Swagger UI.</summary>
internal static class ApiDocsExtensions
{
    private const string ApiKeyScheme = "ApiKey";
    private const string BearerScheme = "Bearer";

    public static IHostApplicationBuilder AddApiDocs(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ApiDocsOptions>().BindConfiguration(ApiDocsOptions.SectionName).ValidateOnStart();
        builder.Services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "NextEleven API";
                document.Info.Description =
                    "Authenticated, rate-limited chat API. Send the key as 'X-API-Key' or 'Authorization: Bearer'.";
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[ApiKeyScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Header,
                    Name = ApiKeyAuthenticator.ApiKeyHeader,
                    Description = "The NEXTELEVEN_API_KEY value in the X-API-Key header.",
                };
                document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "The NEXTELEVEN_API_KEY value as 'Authorization: Bearer <key>'.",
                };
                return Task.CompletedTask;
            });
            options.AddSchemaTransformer((schema, context, _) =>
            {
                // What Swagger UI's "Try it out" sends must be a request the server accepts: the required
                // field marked (an example body comes with the operation, below).
                if (RequiredFieldOf(context.JsonTypeInfo.Type) is { } required)
                {
                    schema.Required ??= new HashSet<string>();
                    schema.Required.Add(required);
                }
                return Task.CompletedTask;
            });
            options.AddOperationTransformer(async (operation, context, cancellationToken) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                if (metadata.OfType<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>().FirstOrDefault()?.RequestType is { } requestType
                    && ExampleOf(requestType) is { } example
                    && operation.RequestBody?.Content?.TryGetValue("application/json", out var body) == true)
                {
                    // Instead of the "string" and 0 placeholders Swagger UI would fill in, which the server refuses.
                    body.Example = example;
                }
                if (metadata.OfType<ServerSentEventsMetadata>().FirstOrDefault() is { } stream
                    && operation.Responses?.TryGetValue("200", out var ok) == true && ok is OpenApiResponse okResponse)
                {
                    okResponse.Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["application/json"] = new()
                        {
                            Schema = await context.GetOrCreateSchemaAsync(stream.JsonType, cancellationToken: cancellationToken),
                        },
                        ["text/event-stream"] = new()
                        {
                            Schema = await context.GetOrCreateSchemaAsync(stream.EventType, cancellationToken: cancellationToken),
                        },
                    };
                }
                if (metadata.OfType<RequiresApiKeyMetadata>().Any())
                {
                    // Two requirements: either scheme alone is enough.
                    operation.Security =
                    [
                        new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyScheme, context.Document)] = [] },
                        new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] },
                    ];
                }
            });
        });
        // The document describes numbers as the chat bodies read them, strictly: a number, never a numeric string.
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict);
        return builder;
    }

    private static string? RequiredFieldOf(Type type) =>
        type == typeof(Chat.ChatRequest) ? "message"
        : type == typeof(OpenAiCompat.ChatCompletionRequest) ? "messages"
        : null;

    private static System.Text.Json.Nodes.JsonNode? ExampleOf(Type type) =>
        type == typeof(Chat.ChatRequest) ? System.Text.Json.Nodes.JsonNode.Parse("""{ "message": "Hello" }""")
        : type == typeof(OpenAiCompat.ChatCompletionRequest) ? System.Text.Json.Nodes.JsonNode.Parse("""{ "messages": [ { "role": "user", "content": "Hello" } ] }""")
        : null;

    /// <summary>The OpenAPI document at <c>/openapi/v1.json</c> and Swagger UI at <c>/swagger</c>, when enabled.</summary>
    public static WebApplication MapApiDocs(this WebApplication app)
    {
        var enabled = app.Services.GetRequiredService<IOptions<ApiDocsOptions>>().Value.Enabled
            ?? app.Environment.IsDevelopment();
        if (!enabled)
        {
            return app;
        }
        app.MapOpenApi();
        app.UseSwaggerUI(ui =>
        {
            ui.SwaggerEndpoint("/openapi/v1.json", "NextEleven API v1");
            ui.RoutePrefix = "swagger";
            ui.DocumentTitle = "NextEleven API";
        });
        return app;
    }
}
