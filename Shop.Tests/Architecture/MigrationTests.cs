using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Shop.Tests.Architecture;

/// <summary>
/// Every service's committed migrations describe its model as the code has it: a model change without its migration
/// would leave the database behind the code. Each DbContext is built through the factory <c>dotnet ef</c> uses
/// (Infrastructure/&lt;Context&gt;DesignTimeFactory), from the service's built assembly, without a database.
/// </summary>
public sealed class MigrationTests
{
    public static TheoryData<string> Services => ["Shop.UserApi", "Shop.ProductApi", "Shop.OrderApi", "Shop.Notifier"];

    [Theory]
    [MemberData(nameof(Services))]
    public void The_migrations_match_the_model(string service)
    {
        using var db = CreateDbContext(service);

        Assert.NotEmpty(db.Database.GetMigrations());
        Assert.False(db.Database.HasPendingModelChanges(),
            $"{db.GetType().Name} has model changes without a migration: run dotnet ef migrations add in {service}.");
    }

    private static DbContext CreateDbContext(string service)
    {
        var assembly = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == service)
            ?? Assembly.LoadFrom(FolderGraph.AssemblyPath(service));
        var factory = assembly.GetTypes().Single(t => !t.IsAbstract && t.GetInterfaces()
            .Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDesignTimeDbContextFactory<>)));
        return (DbContext)factory.GetMethod(nameof(IDesignTimeDbContextFactory<DbContext>.CreateDbContext))!
            .Invoke(Activator.CreateInstance(factory), [Array.Empty<string>()])!;
    }
}
