using Shop.ServiceDefaults.Validation;
using Shop.UserApi.Model;

namespace Shop.UserApi.Apis;

/// <summary>
/// The checks of the user API's requests beyond registration (which <see cref="UserRules"/> checks in the service);
/// each returns the <see cref="FieldErrors"/> of the input, empty when valid.
/// </summary>
public static class UserValidation
{
    /// <summary>Login: both present and storable text; whether they match an account is the login's business.</summary>
    public static FieldErrors ValidateLogin(string? email, string? password)
    {
        var errors = new FieldErrors();
        if (string.IsNullOrWhiteSpace(email)) errors.Add("email", "The email is required.");
        else errors.CheckText("email", email, UserRules.EmailMaxLength);
        if (string.IsNullOrEmpty(password)) errors.Add("password", "The password is required.");
        else errors.CheckText("password", password, UserRules.PasswordMaxLength);
        return errors;
    }

    /// <summary>Refresh and logout: the refresh token must be present; whether it is a live one is the session's business.</summary>
    public static FieldErrors ValidateRefreshToken(string? refreshToken) =>
        string.IsNullOrWhiteSpace(refreshToken) ? FieldErrors.Single("refreshToken", "The refresh token is required.") : new FieldErrors();

    public static FieldErrors ValidateProfile(string? name, string? phone)
    {
        var errors = new FieldErrors();
        UserRules.CheckName(errors, "name", name);
        UserRules.CheckPhone(errors, "phone", phone);
        return errors;
    }

    public static FieldErrors ValidatePasswordChange(string? currentPassword, string? newPassword)
    {
        var errors = new FieldErrors();
        if (string.IsNullOrEmpty(currentPassword)) errors.Add("currentPassword", "The current password is required.");
        else if (!TextRules.IsAcceptable(currentPassword)) errors.Add("currentPassword", TextRules.ForbiddenCharactersMessage);
        UserRules.CheckPassword(errors, "newPassword", newPassword);
        return errors;
    }

    public static FieldErrors ValidateRole(string? role)
    {
        var errors = new FieldErrors();
        if (role is not null && !TextRules.IsAcceptable(role)) errors.Add("role", TextRules.ForbiddenCharactersMessage);
        else if (!UserRoles.IsKnown(role)) errors.Add("role", $"The role must be one of: {string.Join(", ", UserRoles.All)}.");
        return errors;
    }

    /// <summary>The admin's account list: the page.</summary>
    /// <param name="paging">The validated page; null when <c>page</c> or <c>pageSize</c> is out of bounds.</param>
    public static FieldErrors ValidateList(int? page, int? pageSize, out PageRequest? paging)
    {
        var errors = new FieldErrors();
        paging = PageRequest.Create(page, pageSize, errors);
        return errors;
    }
}
