using System.Diagnostics;

namespace Shop.OrderApi.Services;

public static class OrderTelemetry
{
    public const string Name = "Shop.OrderApi";

    public static readonly ActivitySource Source = new(Name);
}
