using StackExchange.Redis;

namespace NextEleven.Api.RateLimiting.Redis;

/// <summary>
/// Caches every script on every primary before requests need them: otherwise the first burst after a
/// start or a Redis restart sends each script whole, once per request, and waits for it to compile.
/// </summary>
internal static class ScriptCache
{
    private static readonly CounterScript[] Scripts = [PermitScript.Script, TokenScript.Script, ReconcileScript.Script];

    public static async Task LoadEverywhereAsync(ConnectionMultiplexer connection)
    {
        foreach (var endpoint in connection.GetEndPoints())
        {
            var server = connection.GetServer(endpoint);
            if (!server.IsConnected || server.IsReplica)
            {
                continue;
            }
            foreach (var script in Scripts)
            {
                try
                {
                    await server.ScriptLoadAsync(script.Source).ConfigureAwait(false);
                }
                catch (RedisServerException)
                {
                    // An ACL that allows EVAL but not SCRIPT LOAD: the script is sent whole on its first NOSCRIPT instead.
                }
            }
        }
    }
}
