namespace Shop.OrderApi.Model;

public sealed record RequestedLine(Guid ProductId, int Quantity);
