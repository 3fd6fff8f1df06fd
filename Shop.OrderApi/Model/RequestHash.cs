using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Shop.OrderApi.Model;

/// <summary>Fingerprint of a request body: the same Idempotency-Key with another body is a client error (422).</summary>
public static class RequestHash
{
    public static string Compute<T>(T request)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(request);
        return Convert.ToHexStringLower(SHA256.HashData(json));
    }
}
