using System.Collections.Frozen;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using NextEleven.Api.Budgets;
using NextEleven.Api.RateLimiting;

namespace NextEleven.Api.Clients;

/// <summary>
/// Checks a clients file as a whole and builds the directory from it and the environment's keys. The
/// first problem found refuses the whole file, named in one line: the client, the field and why.
/// </summary>
internal static partial class ClientDirectoryBuilder
{
    /// <summary>The client that <c>NEXTELEVEN_API_KEY</c> and <c>NEXTELEVEN_API_KEY_PREVIOUS</c> belong to.</summary>
    public const string DefaultClientId = "default";

    /// <param name="unpricedTarget">A target a call can be routed to that has no price, if any: a client's own spend budget then refuses the file.</param>
    public static ClientDirectory Build(ApiKeyOptions environmentKeys, ClientsFileJson? file, RateLimitOptions limits,
        out string? problem, string? unpricedTarget = null)
    {
        problem = null;
        var keys = new Dictionary<KeyDigest, ApiKeyEntry>();
        var clients = new List<ApiClient>();
        // Ids seen so far: the duplicate check stays linear in the file's size (100,000 clients load in seconds).
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var defaultPolicy = new RateLimitPolicy(ClientRateLimiter.DefaultPolicyName, limits.PermitLimit, limits.Window);

        var environmentKeyList = new[] { environmentKeys.ApiKey, environmentKeys.PreviousApiKey }
            .Select(key => key?.Trim())
            .Where(key => !string.IsNullOrEmpty(key))
            .ToList();
        if (environmentKeyList.Count > 0)
        {
            var client = new ApiClient(DefaultClientId, null, defaultPolicy, TokenBudget.PolicyFor(null, null, limits),
                SpendBudget.PolicyFor(null, null, limits), null, disabled: false);
            clients.Add(client);
            ids.Add(DefaultClientId);
            foreach (var key in environmentKeyList)
            {
                keys[KeyDigest.Of(key)] = new ApiKeyEntry(client, EnvironmentKeyId(key!), null);
            }
        }

        foreach (var (entry, index) in (file?.Clients ?? []).Select((entry, index) => (entry, index)))
        {
            var client = BuildClient(entry, index, limits, defaultPolicy, ids, environmentKeyList.Count > 0, unpricedTarget, out problem);
            if (client is null)
            {
                return ClientDirectory.Open;
            }
            clients.Add(client);
            ids.Add(client.Id);
            foreach (var (key, keyIndex) in entry.Keys.Select((key, keyIndex) => (key, keyIndex)))
            {
                var field = $"client '{client.Id}': keys[{keyIndex}]";
                if (key is null || !KeyDigest.TryParse(key.Hash, out var digest))
                {
                    problem = $"{field}.hash must be 'sha256:' and 64 lowercase hex digits (keys are stored as digests only; 'keys hash' makes one).";
                    return ClientDirectory.Open;
                }
                if (keys.TryGetValue(digest, out var taken))
                {
                    problem = $"{field}.hash is already a key of client '{taken.Client.Id}'.";
                    return ClientDirectory.Open;
                }
                keys[digest] = new ApiKeyEntry(client, string.IsNullOrWhiteSpace(key.Prefix) ? digest.KeyId : key.Prefix,
                    key.Expires);
            }
        }
        if (file is not null && keys.Count == 0)
        {
            // Such a set would lock every client out while looking loaded: refused at start and on reload alike.
            problem = "the clients file has no key ('keys create <id>' adds one).";
            return ClientDirectory.Open;
        }
        return new ClientDirectory(keys.ToFrozenDictionary(), clients, isEnforced: environmentKeyList.Count > 0 || file is not null);
    }

    /// <summary>
    /// The key id the environment's keys have always been logged under: a domain-separated digest, so it
    /// names the key without being usable to test a guess against the comparison hash.
    /// </summary>
    public static string EnvironmentKeyId(string key) =>
        "key_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("nexteleven-key-id:" + key)).AsSpan(0, 6));

    private static ApiClient? BuildClient(ClientJson? entry, int index, RateLimitOptions limits, RateLimitPolicy defaultPolicy,
        HashSet<string> knownIds, bool environmentHasDefault, string? unpricedTarget, out string? problem)
    {
        problem = null;
        if (entry is null || entry.Id is null || !ClientId().IsMatch(entry.Id))
        {
            problem = $"clients[{index}]: id '{entry?.Id}' must match [a-z0-9][a-z0-9-]{{0,63}}.";
            return null;
        }
        var id = entry.Id;
        if (knownIds.Contains(id))
        {
            problem = id == DefaultClientId && environmentHasDefault
                ? $"client '{id}': the id is taken by NEXTELEVEN_API_KEY; give this client another id."
                : $"client '{id}': the id is used twice.";
            return null;
        }
        RateLimitTierOptions? tier = null;
        if (entry.Tier is not null && !limits.Tiers.TryGetValue(entry.Tier, out tier))
        {
            problem = $"client '{id}': tier '{entry.Tier}' is not configured (RateLimit:Tiers:{entry.Tier}).";
            return null;
        }
        if (entry.Models is { Count: 0 } || entry.Models?.Any(string.IsNullOrWhiteSpace) == true)
        {
            problem = $"client '{id}': models must name at least one model, none blank (leave it out to allow every model).";
            return null;
        }
        if (entry.Keys is null)
        {
            problem = $"client '{id}': keys must be a list.";
            return null;
        }

        var ownLimit = entry.Limits?.PermitLimit;
        TimeSpan? ownWindow = null;
        if (entry.Limits?.Window is { } windowText)
        {
            if (!TimeSpan.TryParse(windowText, CultureInfo.InvariantCulture, out var window) || !RateLimitOptions.IsValidWindow(window))
            {
                problem = $"client '{id}': limits.window '{windowText}' must be a whole number of seconds from 00:00:01 to 1.00:00:00 (hh:mm:ss or d.hh:mm:ss).";
                return null;
            }
            ownWindow = window;
        }
        if (ownLimit is < 1)
        {
            problem = $"client '{id}': limits.permitLimit must be at least 1.";
            return null;
        }
        if (entry.Limits?.Tokens is { } tokens && TokenProblem(tokens) is { } tokenProblem)
        {
            problem = $"client '{id}': limits.tokens.{tokenProblem}";
            return null;
        }

        if (entry.Limits?.Spend is { } spend && SpendProblem(spend) is { } spendProblem)
        {
            problem = $"client '{id}': limits.spend.{spendProblem}";
            return null;
        }
        // A default or tier spend budget with an unpriced target is refused at start, with the setting named.
        if (entry.Limits?.Spend?.Limit is not null && unpricedTarget is not null)
        {
            problem = $"client '{id}': limits.spend needs a price for every target a call can go to, but {unpricedTarget} has none (Chat:Prices:{unpricedTarget}).";
            return null;
        }

        var policy = ownLimit is not null || ownWindow is not null
            ? new RateLimitPolicy(id, ownLimit ?? tier?.PermitLimit ?? limits.PermitLimit, ownWindow ?? tier?.Window ?? limits.Window)
            : tier is not null
                ? new RateLimitPolicy(entry.Tier!, tier.PermitLimit ?? limits.PermitLimit, tier.Window ?? limits.Window)
                : defaultPolicy;
        var ownTokens = entry.Limits?.Tokens is { } tokenLimits
            ? new TokenLimitOptions
            {
                PermitLimit = tokenLimits.PermitLimit,
                Window = tokenLimits.Window is null ? null : TimeSpan.Parse(tokenLimits.Window, CultureInfo.InvariantCulture),
            }
            : null;
        var ownSpend = entry.Limits?.Spend is { } spendLimits ? new SpendLimitOptions { Limit = spendLimits.Limit, Window = spendLimits.Window } : null;
        return new ApiClient(id, entry.Name, policy, TokenBudget.PolicyFor(ownTokens, tier?.Tokens, limits),
            SpendBudget.PolicyFor(ownSpend, tier?.Spend, limits), entry.Models, entry.Disabled);
    }

    private static string? SpendProblem(SpendLimitsJson spend)
    {
        if (!SpendLimitOptions.IsValidLimit(spend.Limit))
        {
            return "limit must be USD from 0.000001 to 1000000000.";
        }
        if (spend.Window is { } text && !SpendLimitOptions.TryParseWindow(text, out _))
        {
            return $"window '{text}' must be {SpendLimitOptions.WindowRule}.";
        }
        return null;
    }

    private static string? TokenProblem(TokenLimitsJson tokens)
    {
        if (!TokenLimitOptions.IsValidLimit(tokens.PermitLimit))
        {
            return "permitLimit must be from 1 to 2147483647.";
        }
        if (tokens.Window is { } text
            && (!TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var window) || !RateLimitOptions.IsValidWindow(window)))
        {
            return $"window '{text}' must be a whole number of seconds from 00:00:01 to 1.00:00:00.";
        }
        return null;
    }

    // \z, not $: "$" also matches before a final newline, which would let "acme\n" through.
    [GeneratedRegex(@"^[a-z0-9][a-z0-9-]{0,63}\z")]
    private static partial Regex ClientId();
}
