using System.Net.Mail;
using System.Text.RegularExpressions;
using Shop.ServiceDefaults.Validation;

namespace Shop.UserApi.Model;

/// <summary>
/// An account's field rules, shared by registration (HTTP, gRPC, the admin seeding), the API's request checks
/// (Apis/UserValidation) and the column lengths. Each check adds its field's error to a <see cref="FieldErrors"/>;
/// every text field also follows the shared <see cref="TextRules"/> (no control characters, no unpaired surrogates).
/// </summary>
public static partial class UserRules
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

    public static void CheckEmail(FieldErrors errors, string field, string? email)
    {
        var trimmed = email?.Trim();
        if (string.IsNullOrEmpty(trimmed)) errors.Add(field, "The email is required.");
        else if (!TextRules.IsAcceptable(email)) errors.Add(field, TextRules.ForbiddenCharactersMessage);
        else if (trimmed.Length > EmailMaxLength) errors.Add(field, $"The email must be at most {EmailMaxLength} characters.");
        else if (!IsEmail(trimmed)) errors.Add(field, "The email is not a valid address.");
    }

    public static void CheckPassword(FieldErrors errors, string field, string? password)
    {
        if (string.IsNullOrEmpty(password)) errors.Add(field, "The password is required.");
        else if (!TextRules.IsAcceptable(password)) errors.Add(field, TextRules.ForbiddenCharactersMessage);
        else if (password.Length < PasswordMinLength) errors.Add(field, $"The password must be at least {PasswordMinLength} characters.");
        else if (password.Length > PasswordMaxLength) errors.Add(field, $"The password must be at most {PasswordMaxLength} characters.");
    }

    public static void CheckName(FieldErrors errors, string field, string? name)
    {
        var trimmed = name?.Trim();
        if (string.IsNullOrEmpty(trimmed)) errors.Add(field, "The name is required.");
        else if (!TextRules.IsAcceptable(name)) errors.Add(field, TextRules.ForbiddenCharactersMessage);
        else if (trimmed.Length > NameMaxLength) errors.Add(field, $"The name must be at most {NameMaxLength} characters.");
    }

    public static void CheckPhone(FieldErrors errors, string field, string? phone)
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
