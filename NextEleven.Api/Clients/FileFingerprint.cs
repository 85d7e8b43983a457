namespace NextEleven.Api.Clients;

/// <summary>
/// What a path resolves to now: the final target of any symlinks, its size and last write time. Two equal
/// fingerprints mean the file was not replaced or written since; a missing file has a fingerprint too.
/// </summary>
internal sealed record FileFingerprint(string Target, long Length, DateTime LastWriteUtc)
{
    public static FileFingerprint Of(string path)
    {
        try
        {
            var target = ClientsFileEditor.TargetOf(path);
            var file = new FileInfo(target);
            return file.Exists ? new FileFingerprint(target, file.Length, file.LastWriteTimeUtc) : new FileFingerprint(target, -1, default);
        }
        catch (Exception unreadable) when (unreadable is IOException or UnauthorizedAccessException)
        {
            return new FileFingerprint(path, -1, default);
        }
    }
}
