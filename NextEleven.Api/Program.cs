using NextEleven.Api.Chat;
using NextEleven.Api.Clients;
using NextEleven.Api.Configuration;
using NextEleven.Api.Errors;
using NextEleven.Api.Networking;
using NextEleven.Api.Observability;
using NextEleven.Api.OpenAiCompat;
using NextEleven.Api.OpenApi;
using NextEleven.Api.Operations;
using NextEleven.Api.RateLimiting;
using NextEleven.Api.Requests;
using NextEleven.Api.Security;
using NextEleven.Api.Shutdown;
using NextEleven.Api.SystemStatus;

// The same binary manages the clients file: dotnet NextEleven.Api.dll keys create|list|revoke|hash
if (args is ["keys", ..])
{
    return KeysCommand.Run(args[1..], Console.Out, Console.Error, Console.In);
}

var builder = WebApplication.CreateBuilder(args);
if (!builder.Configuration.TryAddDotEnvFiles(builder.Environment.ContentRootPath, out var dotEnvProblem, out var dotEnvFiles))
{
    return await RefuseToStartAsync(dotEnvProblem);
}
builder.AddSerilogLogging();
builder.AddOperations();

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddApiErrors();
builder.Services.AddClients();
builder.Services.AddApiKeyAuthentication();
builder.Services.AddApiCors();
builder.Services.AddTrustedProxies();
builder.Services.AddClientRateLimiting();
builder.Services.AddRequestLimits();
builder.Services.AddSystemStatus();
builder.Services.AddGracefulShutdown();
builder.Services.AddChat();
builder.Services.AddOpenAiCompat();
builder.Services.AddApiDocs();

var app = builder.Build();
if (!app.TryValidateOptions(out var problem))
{
    return await RefuseToStartAsync(problem);
}
app.ReadDotEnvFiles(dotEnvFiles);

// Order matters: the scrape listener first (never logged or limited), then the client's real address,
// then headers, logs and errors for everything after.
app.UseManagementListener();
app.UseTrustedProxies();
app.UseStandardResponseHeaders();
app.UseRequestLogging();
app.UseApiErrors();
app.UseRequestHeaderLimit();
app.UseApiCors();
app.MapApiDocs();
app.MapOperations();

var api = app.MapGroup("/api").RequireClientRateLimit().RequireApiKey();
api.MapSystemStatus();
api.MapChat();
api.MapOpenAiCompat();
api.MapApiFallback();

if (await app.TryStartAsync() is { } startFailure)
{
    return await RefuseToStartAsync(startFailure);
}
await app.WaitForShutdownAsync();
// Disposing the host flushes the log events still queued (the drained streams' request lines among them).
await app.DisposeAsync();
return 0;

// A bad setting ends the start with one line that names it, and exit code 1.
static async Task<int> RefuseToStartAsync(string problem)
{
    await Console.Error.WriteLineAsync($"NextEleven.Api cannot start: {problem}");
    return 1;
}

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
