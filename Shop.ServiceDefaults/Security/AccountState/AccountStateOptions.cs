namespace Shop.ServiceDefaults.Security.AccountState;

/// <summary>How the token check keeps account state fresh; bound from "AccountState" (live: read on every use).</summary>
public sealed class AccountStateOptions
{
    public const string SectionName = "AccountState";

    /// <summary>
    /// How long a process reuses an account's state without hearing of it. Changes arrive at once by pub/sub; this
    /// only bounds how long a change lost with a crash of user-api between its commit and its Redis write can linger.
    /// </summary>
    public TimeSpan LocalTtl { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long Redis keeps an account's state; after that the next check fills it again from user-api.</summary>
    public TimeSpan SharedTtl { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Longest wait for user-api when neither the local cache nor Redis knows an account (once per account and process
    /// after Redis lost it). Generous: a process's first call opens the HTTP/2 connection, slow on a loaded machine.
    /// </summary>
    public TimeSpan FillTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retry-After of the 503 a write gets while Redis is unreachable.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(5);
}
