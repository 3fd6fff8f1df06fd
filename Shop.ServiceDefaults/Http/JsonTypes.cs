using System.Collections;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;

namespace Shop.ServiceDefaults.Http;

/// <summary>
/// The JSON value a client must send for a field of a request body ("an integer from 0 to 255", "a UUID string"),
/// for the 400 that names a field of the wrong JSON type. The .NET type itself never reaches the client.
/// </summary>
public static partial class JsonTypes
{
    /// <summary>
    /// The type of the field at <paramref name="path"/> (a JSON path without its <c>$.</c>: <c>items[0].quantity</c>)
    /// in a body read as <paramref name="bodyType"/> with the web serializer defaults; null when the path leads nowhere.
    /// </summary>
    public static Type? FieldType(Type bodyType, string path)
    {
        var type = bodyType;
        foreach (Match segment in PathSegment().Matches(path))
        {
            var info = JsonSerializerOptions.Web.GetTypeInfo(Nullable.GetUnderlyingType(type) ?? type);
            if (segment.Groups["index"].Success)
            {
                if (info.Kind != JsonTypeInfoKind.Enumerable || info.ElementType is null) return null;
                type = info.ElementType;
                continue;
            }
            var name = segment.Groups["name"].Value;
            var property = info.Kind == JsonTypeInfoKind.Object
                ? info.Properties.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
                : null;
            if (property is null) return null;
            type = property.PropertyType;
        }
        return type;
    }

    public static string Describe(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type switch
        {
            _ when type == typeof(byte) => Integer(byte.MinValue, byte.MaxValue),
            _ when type == typeof(short) => Integer(short.MinValue, short.MaxValue),
            _ when type == typeof(int) => Integer(int.MinValue, int.MaxValue),
            _ when type == typeof(long) => Integer(long.MinValue, long.MaxValue),
            _ when type == typeof(uint) => Integer(uint.MinValue, uint.MaxValue),
            _ when type == typeof(ulong) => Integer(ulong.MinValue, ulong.MaxValue),
            // decimal's own bounds (±7.9 × 10^28, 29 digits) told a client nothing but that negatives pass this check.
            _ when type == typeof(decimal) || type == typeof(double) || type == typeof(float) => "a number",
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(string) || type == typeof(char) => "a string",
            _ when type == typeof(Guid) => "a UUID string",
            _ when type == typeof(DateTime) || type == typeof(DateTimeOffset) => "an ISO 8601 date-time string",
            _ when type == typeof(DateOnly) => "an ISO 8601 date string",
            _ when type.IsEnum => "one of the documented values",
            _ when typeof(IDictionary).IsAssignableFrom(type) => "an object",
            _ when typeof(IEnumerable).IsAssignableFrom(type) => "an array",
            _ => "an object",
        };
    }

    private static string Integer(decimal min, decimal max) => $"an integer from {min} to {max}";

    // "items[0].quantity" → items, [0], quantity.
    [GeneratedRegex(@"(?<name>[^.\[\]]+)|\[(?<index>\d+)\]")]
    private static partial Regex PathSegment();
}
