namespace NextEleven.Api.Tests.Infrastructure;

/// <summary>A folder that lives as long as a test, for .env files and a service's working directory.</summary>
public sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("nexteleven-").FullName;

    public TempFolder Write(string name, string content)
    {
        File.WriteAllText(System.IO.Path.Combine(Path, name), content);
        return this;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }
}
