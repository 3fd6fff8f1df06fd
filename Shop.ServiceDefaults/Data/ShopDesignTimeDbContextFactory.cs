using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Shop.ServiceDefaults.Data;

/// <summary>
/// What <c>dotnet ef</c> builds a service's DbContext with (<c>migrations add</c>, <c>migrations script</c>): the model
/// on PostgreSQL with a connection string that only names <paramref name="database"/>; the app itself gets its
/// connection from Aspire (<c>AddShopDbContext</c>). Each service derives one class per DbContext in its
/// Infrastructure folder, where the tools find it.
/// </summary>
/// <typeparam name="TContext">A DbContext whose constructor takes its <see cref="DbContextOptions{TContext}"/>.</typeparam>
public abstract class ShopDesignTimeDbContextFactory<TContext>(string database) : IDesignTimeDbContextFactory<TContext>
    where TContext : DbContext
{
    public TContext CreateDbContext(string[] args) =>
        (TContext)Activator.CreateInstance(typeof(TContext),
            new DbContextOptionsBuilder<TContext>().UseNpgsql($"Host=localhost;Database={database}").Options)!;
}
