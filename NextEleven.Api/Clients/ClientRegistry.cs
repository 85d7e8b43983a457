using System.Collections.Frozen;
using Microsoft.Extensions.Options;
using NextEleven.Api.Providers;
using NextEleven.Api.RateLimiting;

namespace NextEleven.Api.Clients;

/// <summary>
/// The clients and keys in force. Built at start from the environment's key and the clients file, and
/// replaced whole when the file changes; a file that fails to load leaves the last good set in force.
/// </summary>
internal sealed class ClientRegistry
{
    private readonly ApiKeyOptions _environmentKeys;
    private readonly RateLimitOptions _limits;
    // Prices are read once, at start: a reload of the clients file may not give a client a spend budget they cannot count.
    private readonly string? _unpricedTarget;
    private readonly ILogger<ClientRegistry> _logger;
    private readonly Lock _reloadGate = new();
    private volatile ClientDirectory _current;
    private volatile string _state;
    private volatile FileFingerprint? _loaded;

    public ClientRegistry(IOptions<ApiKeyOptions> environmentKeys, IOptions<RateLimitOptions> limits,
        IOptions<ClientsOptions> clients, IOptions<ChatProviderOptions> chat, IHostEnvironment environment, ILogger<ClientRegistry> logger)
    {
        _environmentKeys = environmentKeys.Value;
        _limits = limits.Value;
        _unpricedTarget = chat.Value.UnpricedTargets().FirstOrDefault();
        _logger = logger;
        FilePath = clients.Value.IsConfigured ? clients.Value.FullPath(environment.ContentRootPath) : null;
        _loaded = FilePath is null ? null : FileFingerprint.Of(FilePath);
        var initial = ClientsFileLoader.Load(FilePath, _environmentKeys, _limits, out var problem, _unpricedTarget);
        if (initial is null)
        {
            // Start-up validation refuses such a file; one that broke since then locks everyone out rather than in.
            ClientsLog.LockedOut(logger, problem!);
        }
        _current = initial ?? new ClientDirectory(FrozenDictionary<KeyDigest, ApiKeyEntry>.Empty, [], isEnforced: true);
        _state = initial is null ? LockedOutState : LoadedState;
    }

    /// <summary>The clients in force are those the file (or the environment) last gave.</summary>
    public const string LoadedState = "loaded";

    /// <summary>The file's latest version was refused; the last good set is in force.</summary>
    public const string StaleState = "stale";

    /// <summary>No good set was ever loaded: no key is accepted.</summary>
    public const string LockedOutState = "locked-out";

    /// <summary><see cref="LoadedState"/>, <see cref="StaleState"/> or <see cref="LockedOutState"/>, for readiness.</summary>
    public string State => _state;

    /// <summary>The clients file's full path; null when only the environment's key is used.</summary>
    public string? FilePath { get; }

    public ClientDirectory Current => _current;

    /// <summary>
    /// The file as it was when last read (taken before reading, so a change made during a read shows as
    /// new), whether that version was put in force or refused: the watcher reads again only when it differs.
    /// </summary>
    internal FileFingerprint? Loaded => _loaded;

    /// <summary>
    /// Reads the file again; keeps the current set, and says why in one line, when the new one is refused.
    /// Reloads run one at a time, each reading the file after the one before it was put in force, so the
    /// set in force is always the newest version read: a slow read of an older version can never finish
    /// after a newer one and bring a revoked key back.
    /// </summary>
    public bool Reload()
    {
        lock (_reloadGate)
        {
            _loaded = FilePath is null ? null : FileFingerprint.Of(FilePath);
            var next = ClientsFileLoader.Load(FilePath, _environmentKeys, _limits, out var problem, _unpricedTarget);
            if (next is null)
            {
                ClientsLog.ReloadRefused(_logger, problem!);
                _state = _state == LockedOutState ? LockedOutState : StaleState;
                return false;
            }
            _current = next;
            _state = LoadedState;
            ClientsLog.Reloaded(_logger, next.Clients.Count, next.Keys.Count);
            return true;
        }
    }
}
