using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;

namespace NextEleven.Api.Requests;

/// <summary>
/// Turns a deserialization failure into a message a client can act on ("Field 'history[0].role' must be
/// a string."), without the .NET type names and internals that the serializer's own messages carry.
/// Runs only on the error path.
/// </summary>
internal static partial class JsonErrorMessages
{
    public static string Describe(JsonException exception, ReadOnlySequence<byte> body, JsonTypeInfo root)
    {
        if (SyntaxError(body, root.Options.MaxDepth) is { } syntax)
        {
            return $"The request body is not valid JSON: {syntax}";
        }

        var path = exception.Path;
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "The request body must be a JSON object.";
        }
        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        if (exception.Message.Contains("duplicate", StringComparison.OrdinalIgnoreCase))
        {
            return $"Field '{field}' appears more than once.";
        }
        return $"Field '{field}' must be {Expected(root, field)}.";
    }

    /// <summary>The reader's own account of a syntax error (it names the line and byte), or null when the JSON is well formed.</summary>
    private static string? SyntaxError(ReadOnlySequence<byte> body, int maxDepth)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = maxDepth });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName)
                {
                    // Reading the text checks its UTF-8 and escapes, which Read() alone does not.
                    _ = reader.GetString();
                }
            }
            return null;
        }
        catch (JsonException syntax)
        {
            return syntax.Message;
        }
        catch (InvalidOperationException)
        {
            return "a string holds invalid UTF-8 or an unpaired surrogate escape.";
        }
    }

    /// <summary>What the type at a JSON path expects, in words: "a string", "an array of objects", ...</summary>
    private static string Expected(JsonTypeInfo root, string field)
    {
        JsonTypeInfo? current = root;
        foreach (Match segment in PathSegment().Matches(field))
        {
            if (current is null)
            {
                break;
            }
            if (segment.Groups["index"].Success)
            {
                current = current.Kind == JsonTypeInfoKind.Enumerable && current.ElementType is { } element
                    ? current.Options.GetTypeInfo(element)
                    : null;
                continue;
            }
            var name = segment.Groups["name"].Value;
            var property = current.Properties.FirstOrDefault(
                p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
            current = property is null ? null : current.Options.GetTypeInfo(property.PropertyType);
        }
        return current is null ? "of another type" : Describe(current);
    }

    private static string Describe(JsonTypeInfo typeInfo)
    {
        var type = Nullable.GetUnderlyingType(typeInfo.Type) ?? typeInfo.Type;
        if (type == typeof(string))
        {
            return "a string";
        }
        if (type == typeof(bool))
        {
            return "true or false";
        }
        if (type == typeof(int) || type == typeof(long))
        {
            return "an integer";
        }
        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal))
        {
            return "a number";
        }
        if (typeInfo.Kind == JsonTypeInfoKind.Enumerable && typeInfo.ElementType is { } element)
        {
            var elementInfo = typeInfo.Options.GetTypeInfo(element);
            return elementInfo.Kind == JsonTypeInfoKind.Object ? "an array of objects" : "an array";
        }
        return "an object";
    }

    [GeneratedRegex(@"(?<name>[^.\[\]]+)|\[(?<index>\d+)\]")]
    private static partial Regex PathSegment();
}
