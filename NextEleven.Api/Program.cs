using NextEleven.Api.Budgets;
using NextEleven.Api.Chat;
using NextEleven.Api.Clients;
using NextEleven.Api.Errors;
using NextEleven.Api.Gateway;
using NextEleven.Api.Hosting;
using NextEleven.Api.OpenAiCompat;
using NextEleven.Api.RateLimiting;
using NextEleven.Api.Security;
using NextEleven.Api.SystemStatus;
using NextEleven.Api.Usage;

// The same binary manages the clients file (keys create|list|revoke|hash) and reports usage from the ledger.
if (args is ["keys", ..])
{
    return KeysCommand.Run(args[1..], Console.Out, Console.Error, Console.In);
}
if (args is ["usage", ..])
{
    return await UsageCommand.RunAsync(args[1..], Console.Out, Console.Error);
}

var builder = WebApplication.CreateBuilder(args);
if (!builder.TryAddServiceDefaults(out var problem))
{
    return await ServiceDefaultsExtensions.RefuseToStartAsync(problem);
}
builder.AddClients()
    .AddApiKeyAuthentication()
    .AddClientRateLimiting()
    .AddBudgets()
    .AddSystemStatus()
    .AddChat()
    .AddOpenAiCompat()
    .AddUsage();

var app = builder.Build();
if (!app.TryUseServiceDefaults(out problem))
{
    return await ServiceDefaultsExtensions.RefuseToStartAsync(problem);
}
var api = app.MapGroup("/api").RequireApiKeyAndRateLimit();
api.MapSystemStatus();
api.MapChat();
api.MapOpenAiCompat();
api.MapUsage();
api.MapApiFallback();
return await app.RunUntilShutdownAsync();

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
