namespace Shop.ServiceDefaults.Configuration;

/// <summary>
/// Names of the resources the AppHost declares. A service resolves each by its name: a backing service's connection
/// string is ConnectionStrings:&lt;name&gt;, another service is reached at <see cref="HttpAddress"/> or
/// <see cref="GrpcAddress"/> through service discovery. Tests and benchmarks find resources in the running app by
/// these names too.
/// </summary>
public static class ShopResources
{
    /// <summary>The PostgreSQL server that holds the four databases below.</summary>
    public const string Postgres = "postgres";

    /// <summary>user-api's database: accounts and their refresh tokens.</summary>
    public const string UsersDb = "usersdb";

    /// <summary>product-api's database: products, categories and stock reservations.</summary>
    public const string ProductsDb = "productsdb";

    /// <summary>order-api's database: orders, payments and the outbox.</summary>
    public const string OrdersDb = "ordersdb";

    /// <summary>The notifier's database: the notifications sent and the events already handled.</summary>
    public const string NotificationsDb = "notificationsdb";

    /// <summary>
    /// Redis: the account state every token check reads, product-api's cache, the gateway's rate limits, the carts and
    /// the storefront's Data Protection keys.
    /// </summary>
    public const string Redis = "redis";

    /// <summary>The Kafka broker that carries order events from order-api to the notifier.</summary>
    public const string Kafka = "kafka";

    /// <summary>The topic order-api's outbox relay publishes order events to and the notifier consumes.</summary>
    public const string OrdersTopic = "orders";

    /// <summary>The topic the notifier moves an order event to when handling it keeps failing.</summary>
    public const string OrdersDeadLetterTopic = "orders.dlt";

    /// <summary>Accounts, sign-in and tokens; every service asks it about an account Redis does not know.</summary>
    public const string UserApi = "user-api";

    /// <summary>product-api: the products on sale, their search and their stock.</summary>
    public const string ProductApi = "product-api";

    /// <summary>Orders and their payment.</summary>
    public const string OrderApi = "order-api";

    /// <summary>Sends notifications about orders and keeps their history.</summary>
    public const string Notifier = "notifier";

    /// <summary>The shopping cart and its checkout.</summary>
    public const string BasketApi = "basket-api";

    /// <summary>The one entry point for clients: routes to the services, rate limits, serves their OpenAPI documents.</summary>
    public const string Gateway = "gateway";

    /// <summary>The storefront, a client of the gateway.</summary>
    public const string WebApp = "webapp";

    /// <summary>Service discovery's address of <paramref name="service"/>'s HTTP endpoint, e.g. http://order-api.</summary>
    public static Uri HttpAddress(string service) => new($"http://{service}");

    /// <summary>
    /// Service discovery's address of <paramref name="service"/>'s endpoint named "grpc" (its HTTP/2-only Kestrel
    /// endpoint), e.g. http://_grpc.product-api.
    /// </summary>
    public static Uri GrpcAddress(string service) => new($"http://_grpc.{service}");
}
