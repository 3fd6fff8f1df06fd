namespace Shop.AppHost.Hosting;

internal static class Prerequisites
{
    /// <summary>The folders of this process's PATH, in order.</summary>
    public static List<string> PathDirectories() =>
        [.. (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)];

    /// <summary>The first <paramref name="program"/> in <paramref name="directories"/> (by default, PATH's folders).</summary>
    public static string? FindOnPath(string program, IEnumerable<string>? directories = null) =>
        (directories ?? PathDirectories())
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);

    /// <summary>Newest Debian PostgreSQL server binaries folder (/usr/lib/postgresql/N/bin), if installed.</summary>
    public static string? FindPostgresBin() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(dir => Path.Combine(dir, "bin"))
                .Where(bin => File.Exists(Path.Combine(bin, "postgres")) && File.Exists(Path.Combine(bin, "initdb")))
                .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;

    public static DistributedApplicationException Missing(string what, string package) =>
        new($"{what} was not found. Install it with 'sudo apt-get install -y {package}', or start the system with './shop run', which installs what is missing.");
}
