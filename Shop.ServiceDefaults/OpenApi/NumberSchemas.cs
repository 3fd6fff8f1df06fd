using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Shop.ServiceDefaults.OpenApi;

/// <summary>
/// ASP.NET Core's web JSON options also read numbers written as strings, so its OpenAPI documents describe every number
/// as "integer or string" with a digits pattern, and decimals as doubles; a generated client then gets wrapper types
/// instead of int and decimal. Shop's clients send JSON numbers: the documents say so (integer / number, and
/// format "decimal" for decimal amounts).
/// </summary>
public static class NumberSchemas
{
    public static Task DescribeAsNumbers(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (schema.Type is { } type && type.HasFlag(JsonSchemaType.String)
            && (type.HasFlag(JsonSchemaType.Integer) || type.HasFlag(JsonSchemaType.Number)))
        {
            schema.Type = type & ~JsonSchemaType.String;
            schema.Pattern = null;
        }
        var clrType = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type;
        if (clrType == typeof(decimal))
        {
            schema.Format = "decimal";
        }
        return Task.CompletedTask;
    }
}
