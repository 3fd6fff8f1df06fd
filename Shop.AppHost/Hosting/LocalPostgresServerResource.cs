namespace Shop.AppHost.Hosting;

/// <summary>
/// A PostgreSQL server run by DCP as a local process (Debian's binaries), for machines without a container engine.
/// Its connection string has the shape of Aspire's PostgresServerResource.
/// </summary>
public sealed class LocalPostgresServerResource(string name, string dataDirectory, ParameterResource password)
    : ExecutableResource(name, "bash", AppContext.BaseDirectory), IResourceWithConnectionString
{
    internal const string PrimaryEndpointName = "tcp";
    public const string UserName = "postgres";

    private EndpointReference? _primaryEndpoint;

    public EndpointReference PrimaryEndpoint => _primaryEndpoint ??= new(this, PrimaryEndpointName);

    public ParameterResource PasswordParameter { get; } = password;

    /// <summary>Root folder of the server's state: data/ (PGDATA) and run/ (the Unix socket).</summary>
    public string DataDirectory { get; internal set; } = dataDirectory;

    internal string SocketDirectory => Path.Combine(DataDirectory, "run");

    /// <summary>Databases declared with AddDatabase: resource name → database name.</summary>
    public IReadOnlyDictionary<string, string> Databases => _databases;

    private readonly Dictionary<string, string> _databases = new(StringComparer.OrdinalIgnoreCase);

    internal void AddDatabase(string resourceName, string databaseName) => _databases.TryAdd(resourceName, databaseName);

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host={PrimaryEndpoint.Property(EndpointProperty.Host)};Port={PrimaryEndpoint.Property(EndpointProperty.Port)};Username={UserName};Password={PasswordParameter}");
}
