using System.Text.Json;
using Shop.ServiceDefaults.Configuration;

namespace Shop.Tests.OpenApi;

/// <summary>The OpenAPI documents the build writes beside each service project (Shop.Xxx/Shop.Xxx.json).</summary>
public static class OpenApiDocuments
{
    /// <summary>Document file → the AppHost resource that serves it.</summary>
    public static readonly IReadOnlyDictionary<string, string> Services = new Dictionary<string, string>
    {
        ["Shop.UserApi/Shop.UserApi.json"] = ShopResources.UserApi,
        ["Shop.ProductApi/Shop.ProductApi.json"] = ShopResources.ProductApi,
        ["Shop.OrderApi/Shop.OrderApi.json"] = ShopResources.OrderApi,
        ["Shop.Notifier/Shop.Notifier.json"] = ShopResources.Notifier,
        ["Shop.BasketApi/Shop.BasketApi.json"] = ShopResources.BasketApi,
    };

    public static TheoryData<string> Files => [.. Services.Keys];

    public static JsonDocument Load(string file) => JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), file)));

    /// <summary>Every operation of a document: method, path template and the operation object.</summary>
    public static IEnumerable<(string Method, string Path, JsonElement Operation)> Operations(JsonDocument document) =>
        from path in document.RootElement.GetProperty("paths").EnumerateObject()
        from operation in path.Value.EnumerateObject()
        select (operation.Name.ToUpperInvariant(), path.Name, operation.Value);

    /// <summary>The members a component schema of <paramref name="file"/> declares, and those it requires.</summary>
    public static (HashSet<string> Properties, HashSet<string> Required) Schema(string file, string schema)
    {
        using var document = Load(file);
        var declared = document.RootElement.GetProperty("components").GetProperty("schemas").GetProperty(schema);
        return ([.. declared.GetProperty("properties").EnumerateObject().Select(p => p.Name)],
            [.. declared.TryGetProperty("required", out var required) ? required.EnumerateArray().Select(r => r.GetString()!) : []]);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Shop.sln"))) return directory.FullName;
        }
        throw new InvalidOperationException($"No Shop.sln above {AppContext.BaseDirectory}.");
    }
}
