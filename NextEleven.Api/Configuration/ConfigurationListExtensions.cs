namespace NextEleven.Api.Configuration;

/// <summary>Reads a setting that may be a list or one comma-separated string.</summary>
internal static class ConfigurationListExtensions
{
    /// <summary>
    /// A list setting given either as children (<c>Section__0</c>, <c>Section__1</c>, a JSON array) or as one
    /// comma-separated value (<c>Section=a,b</c>), the form that fits an environment variable; blanks dropped.
    /// </summary>
    public static IEnumerable<string> GetList(this IConfigurationSection section) =>
        (section.Value is { } single
            ? single.Split(',', StringSplitOptions.TrimEntries)
            : section.GetChildren().Select(child => child.Value?.Trim() ?? string.Empty))
        .Where(value => value.Length > 0);
}
