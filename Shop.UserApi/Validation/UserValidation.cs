using System.Net.Mail;
using System.Text.RegularExpressions;
using Shop.ServiceDefaults.Validation;
using Shop.UserApi.Model;

namespace Shop.UserApi.Validation;

/// <summary>
/// Field rules shared by the HTTP API and gRPC; each method returns the <see cref="FieldErrors"/> of the input, empty
/// when valid. Every text field also follows the shared <see cref="TextRules"/> (no control characters, no unpaired
/// surrogates).
/// </summary>
public static partial class UserValidation
{
    public const int EmailMaxLength = 254;
    public const int PasswordMinLength = 8;
    public const int PasswordMaxLength = 128;
    public const int NameMaxLength = 100;
    public const int PhoneMaxLength = 32;

    public static FieldErrors ValidateRegistration(string? email, string? password, string? name, string? phone)
    {
        var errors = new FieldErrors();
        CheckEmail(errors, "email", email);
        CheckPassword(errors, "password", password);
        CheckName(errors, "name", name);
        CheckPhone(errors, "phone", phone);
        return errors;
    }

    /// <summary>Login: both present and storable text; whether they match an account is the login's business.</summary>
    public static FieldErrors ValidateLogin(string? email, string? password)
    {
        var errors = new FieldErrors();
        if (string.IsNullOrWhiteSpace(email)) errors.Add("email", "The email is required.");
        else errors.CheckText("email", email, EmailMaxLength);
        if (string.IsNullOrEmpty(password)) errors.Add("password", "The password is required.");
        else errors.CheckText("password", password, PasswordMaxLength);
        return errors;
    }

    public static FieldErrors ValidateProfile(string? name, string? phone)
    {
        var errors = new FieldErrors();
        CheckName(errors, "name", name);
        CheckPhone(errors, "phone", phone);
        return errors;
    }

    public static FieldErrors ValidatePasswordChange(string? currentPassword, string? newPassword)
    {
        var errors = new FieldErrors();
        if (string.IsNullOrEmpty(currentPassword)) errors.Add("currentPassword", "The current password is required.");
        else if (!TextRules.IsAcceptable(currentPassword)) errors.Add("currentPassword", TextRules.ForbiddenCharactersMessage);
        CheckPassword(errors, "newPassword", newPassword);
        return errors;
    }

    public static FieldErrors ValidateRole(string? role)
    {
        var errors = new FieldErrors();
        if (role is not null && !TextRules.IsAcceptable(role)) errors.Add("role", TextRules.ForbiddenCharactersMessage);
        else if (!UserRoles.IsKnown(role)) errors.Add("role", $"The role must be one of: {string.Join(", ", UserRoles.All)}.");
        return errors;
    }

    private static void CheckEmail(FieldErrors errors, string field, string? email)
    {
        var trimmed = email?.Trim();
        if (string.IsNullOrEmpty(trimmed)) errors.Add(field, "The email is required.");
        else if (!TextRules.IsAcceptable(email)) errors.Add(field, TextRules.ForbiddenCharactersMessage);
        else if (trimmed.Length > EmailMaxLength) errors.Add(field, $"The email must be at most {EmailMaxLength} characters.");
        else if (!IsEmail(trimmed)) errors.Add(field, "The email is not a valid address.");
    }

    private static void CheckPassword(FieldErrors errors, string field, string? password)
    {
        if (string.IsNullOrEmpty(password)) errors.Add(field, "The password is required.");
        else if (!TextRules.IsAcceptable(password)) errors.Add(field, TextRules.ForbiddenCharactersMessage);
        else if (password.Length < PasswordMinLength) errors.Add(field, $"The password must be at least {PasswordMinLength} characters.");
        else if (password.Length > PasswordMaxLength) errors.Add(field, $"The password must be at most {PasswordMaxLength} characters.");
    }

    private static void CheckName(FieldErrors errors, string field, string? name)
    {
        var trimmed = name?.Trim();
        if (string.IsNullOrEmpty(trimmed)) errors.Add(field, "The name is required.");
        else if (!TextRules.IsAcceptable(name)) errors.Add(field, TextRules.ForbiddenCharactersMessage);
        else if (trimmed.Length > NameMaxLength) errors.Add(field, $"The name must be at most {NameMaxLength} characters.");
    }

    private static void CheckPhone(FieldErrors errors, string field, string? phone)
    {
        if (string.IsNullOrWhiteSpace(phone)) return;
        var trimmed = phone.Trim();
        if (!TextRules.IsAcceptable(phone)) errors.Add(field, TextRules.ForbiddenCharactersMessage);
        else if (trimmed.Length > PhoneMaxLength) errors.Add(field, $"The phone must be at most {PhoneMaxLength} characters.");
        else if (!PhonePattern().IsMatch(trimmed)) errors.Add(field, "The phone may contain digits, spaces, '(', ')', '-' and a leading '+'.");
    }

    // MailAddress accepts display names and odd forms; require a bare address with a dotted domain.
    private static bool IsEmail(string value) =>
        MailAddress.TryCreate(value, out var address)
        && address.Address == value
        && address.Host.Contains('.')
        && !address.Host.StartsWith('.') && !address.Host.EndsWith('.');

    [GeneratedRegex(@"^\+?[0-9][0-9 ()\-]{3,}$")]
    private static partial Regex PhonePattern();
}
