using System.Reflection;

namespace Shop.ServiceDefaults.OpenApi;

/// <summary>
/// Whether this process is the build's OpenAPI generator (Microsoft.Extensions.ApiDescription.Server runs the
/// service's entry point inside its GetDocument.Insider tool, with no database or broker): start-up work that needs
/// them, such as migrations, is skipped there.
/// </summary>
public static class BuildTimeDocument
{
    public static bool IsGenerating { get; } = Assembly.GetEntryAssembly()?.GetName().Name == "GetDocument.Insider";
}
