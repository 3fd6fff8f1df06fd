namespace Shop.WebApp.Services;

/// <summary>
/// A request sent again (the one retry after a token refresh): an <see cref="HttpRequestMessage"/> is single-use, so
/// the retry is a copy with the same method, URI, version, headers, options and body. The body must have been buffered
/// (<see cref="HttpContent.LoadIntoBufferAsync()"/>) before the first send, else its stream is already consumed.
/// </summary>
public static class HttpRequestCopy
{
    public static async Task<HttpRequestMessage> CloneAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var copy = new HttpRequestMessage(request.Method, request.RequestUri)
        {
            Version = request.Version,
            VersionPolicy = request.VersionPolicy,
        };
        foreach (var header in request.Headers)
        {
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
        foreach (var option in request.Options)
        {
            ((IDictionary<string, object?>)copy.Options)[option.Key] = option.Value;
        }
        if (request.Content is not null)
        {
            var body = await request.Content.ReadAsByteArrayAsync(cancellationToken);
            copy.Content = new ByteArrayContent(body);
            foreach (var header in request.Content.Headers)
            {
                copy.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }
        return copy;
    }
}
