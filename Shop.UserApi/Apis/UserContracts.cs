using Shop.UserApi.Model;
using Shop.ServiceDefaults.OpenApi;

namespace Shop.UserApi.Apis;

public sealed record RegisterRequest(string? Email, string? Password, string? Name, string? Phone) : IOpenApiExample<RegisterRequest>
{
    public static RegisterRequest Example => new("ada@example.com", "correct-horse-battery", "Ada Lovelace", "+44 20 7946 0000");
}

public sealed record LoginRequest(string? Email, string? Password) : IOpenApiExample<LoginRequest>
{
    public static LoginRequest Example => new("ada@example.com", "correct-horse-battery");
}

/// <summary>Body of POST /api/users/refresh and /api/users/logout.</summary>
public sealed record RefreshTokenRequest(string? RefreshToken);

public sealed record UpdateProfileRequest(string? Name, string? Phone);

public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);

public sealed record ChangeRoleRequest(string? Role);

public sealed record UserResponse(Guid Id, string Email, string Name, string? Phone, string Role, bool Active, DateTimeOffset CreatedAt)
{
    public static UserResponse From(User user) =>
        new(user.Id, user.Email, user.Name, user.Phone, user.Role, user.Active, user.CreatedAt);
}
