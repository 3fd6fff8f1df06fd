using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Shop.BasketApi.Grpc.V1;
using Shop.BasketApi.Model;
using Shop.BasketApi.Services;
using StackExchange.Redis;
using BasketModel = Shop.BasketApi.Model.Basket;

namespace Shop.BasketApi.Grpc;

/// <summary>
/// basket.v1.Basket for service callers, on the internal "grpc" endpoint only (the gateway routes no gRPC): the caller
/// names the cart. Same rules and errors as the HTTP API, as gRPC statuses with a google.rpc.BadRequest naming the field.
/// </summary>
public sealed class BasketGrpcService(BasketService baskets) : V1.Basket.BasketBase
{
    public override Task<BasketReply> GetBasket(GetBasketRequest request, ServerCallContext context) =>
        Run(async () => ToReply(await baskets.GetAsync(Owner(request.Cart), context.CancellationToken)));

    public override Task<BasketReply> SetLine(SetLineRequest request, ServerCallContext context) =>
        Run(async () =>
        {
            var owner = Owner(request.Cart);
            if (!Guid.TryParse(request.ProductId, out var productId)) throw InvalidArgument("product_id", "The product id must be a UUID.");
            return ToReply(await baskets.SetLineAsync(owner, productId, request.Quantity, context.CancellationToken));
        });

    public override Task<ClearReply> Clear(ClearRequest request, ServerCallContext context) =>
        Run(async () =>
        {
            await baskets.ClearAsync(Owner(request.Cart));
            return new ClearReply();
        });

    private static async Task<T> Run<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (BasketRuleException ex)
        {
            throw InvalidArgument(ex.Field == "productId" ? "product_id" : ex.Field, ex.Message);
        }
        catch (UnknownProductException ex)
        {
            throw new RpcException(new global::Grpc.Core.Status(StatusCode.NotFound, ex.Message));
        }
        catch (DependencyUnavailableException ex)
        {
            throw new RpcException(new global::Grpc.Core.Status(StatusCode.Unavailable, ex.Message));
        }
        catch (RedisException)
        {
            throw new RpcException(new global::Grpc.Core.Status(StatusCode.Unavailable, "The basket store is briefly unavailable."));
        }
    }

    private static BasketOwner Owner(CartRef? cart)
    {
        switch (cart?.OwnerCase)
        {
            case CartRef.OwnerOneofCase.UserId when Guid.TryParse(cart.UserId, out var userId) && userId != Guid.Empty:
                return new BasketOwner.Shopper(userId);
            case CartRef.OwnerOneofCase.UserId:
                throw InvalidArgument("cart.user_id", "The user id must be a UUID.");
            case CartRef.OwnerOneofCase.CartId when CartId.TryParse(cart.CartId, out var cartId):
                return new BasketOwner.Anonymous(cartId.Value);
            case CartRef.OwnerOneofCase.CartId:
                throw InvalidArgument("cart.cart_id", $"The cart id must be one this API issued ({CartId.Length} base64url characters).");
            default:
                throw InvalidArgument("cart", "Name the cart by user_id or cart_id.");
        }
    }

    private static RpcException InvalidArgument(string field, string description) => new Google.Rpc.Status
    {
        Code = (int)Code.InvalidArgument,
        Message = description,
        Details = { Any.Pack(new BadRequest { FieldViolations = { new BadRequest.Types.FieldViolation { Field = field, Description = description } } }) },
    }.ToRpcException();

    private static BasketReply ToReply(BasketModel basket) => new()
    {
        Version = basket.Version,
        Subtotal = basket.Subtotal.ToString(CultureInfo.InvariantCulture),
        ItemCount = basket.ItemCount,
        Lines =
        {
            basket.Lines.Select(l => new BasketLineReply
            {
                ProductId = l.ProductId.ToString(),
                Name = l.Name,
                UnitPrice = l.UnitPrice.ToString(CultureInfo.InvariantCulture),
                PriceWhenAdded = l.PriceWhenAdded.ToString(CultureInfo.InvariantCulture),
                Quantity = l.Quantity,
                Available = l.Available,
                PriceChanged = l.PriceChanged,
                OutOfStock = l.OutOfStock,
            }),
        },
    };
}
