using Shop.ServiceDefaults.Configuration;
using Shop.ServiceDefaults.Data;

namespace Shop.UserApi.Infrastructure;

/// <summary>For <c>dotnet ef</c>: <see cref="UsersDbContext"/> on usersdb (see <see cref="ShopDesignTimeDbContextFactory{TContext}"/>).</summary>
public sealed class UsersDbContextDesignTimeFactory() : ShopDesignTimeDbContextFactory<UsersDbContext>(ShopResources.UsersDb);
