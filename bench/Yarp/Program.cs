using Yarp.ReverseProxy.Configuration;

// Usage: Yarp --urls http://127.0.0.1:PORT --upstream http://127.0.0.1:PROVIDER_PORT
var builder = WebApplication.CreateBuilder(args);
builder.Logging.ClearProviders();
var upstream = builder.Configuration["upstream"] ?? throw new InvalidOperationException("--upstream is required");
builder.Services.AddReverseProxy().LoadFromMemory(
    [new RouteConfig { RouteId = "provider", ClusterId = "provider", Match = new RouteMatch { Path = "/v1/{**rest}" } }],
    [new ClusterConfig
    {
        ClusterId = "provider",
        Destinations = new Dictionary<string, DestinationConfig> { ["loopback"] = new() { Address = upstream } },
    }]);
var app = builder.Build();
app.MapGet("/", () => "ok");
app.MapReverseProxy();
app.Run();
