using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Shop.ServiceDefaults.OpenApi;

/// <summary>
/// The build writes each service's OpenAPI document (Microsoft.Extensions.ApiDescription.Server, build/OpenApiDocument.props)
/// by starting the app inside the GetDocument.Insider tool with a server that listens nowhere. That run has no Redis,
/// database or Kafka, so Shop's own background services (account-state subscriber, migrations, relays, consumers) are
/// left out of it; the endpoints, and so the document, are the same as in a real run.
/// </summary>
public static class BuildTimeDocumentRun
{
    /// <summary>True inside the build's document generation (the entry assembly is the GetDocument.Insider tool).</summary>
    public static bool IsActive { get; } = Assembly.GetEntryAssembly()?.GetName().Name == "GetDocument.Insider";

    internal static void LeaveOutShopHostedServices(IHostApplicationBuilder builder) =>
        builder.ConfigureContainer(new WithoutShopHostedServices());

    private sealed class WithoutShopHostedServices : IServiceProviderFactory<IServiceCollection>
    {
        private readonly DefaultServiceProviderFactory _inner = new();

        public IServiceCollection CreateBuilder(IServiceCollection services) => _inner.CreateBuilder(services);

        public IServiceProvider CreateServiceProvider(IServiceCollection containerBuilder)
        {
            var shopHostedServices = containerBuilder
                .Where(d => d.ServiceType == typeof(IHostedService) && IsShops(d))
                .ToList();
            foreach (var descriptor in shopHostedServices)
            {
                containerBuilder.Remove(descriptor);
            }
            return _inner.CreateServiceProvider(containerBuilder);
        }

        private static bool IsShops(ServiceDescriptor descriptor)
        {
            var type = descriptor.IsKeyedService
                ? descriptor.KeyedImplementationType ?? descriptor.KeyedImplementationInstance?.GetType()
                : descriptor.ImplementationType ?? descriptor.ImplementationInstance?.GetType();
            // A factory registration (AddHostedService(sp => sp.GetRequiredService<X>())) names no type: its lambda's
            // declaring assembly tells whose it is.
            var assembly = type?.Assembly
                ?? (descriptor.IsKeyedService
                    ? descriptor.KeyedImplementationFactory?.Method.DeclaringType?.Assembly
                    : descriptor.ImplementationFactory?.Method.DeclaringType?.Assembly);
            return assembly?.GetName().Name?.StartsWith("Shop.", StringComparison.Ordinal) == true;
        }
    }
}
