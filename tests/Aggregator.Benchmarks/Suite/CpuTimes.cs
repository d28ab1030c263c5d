using System.Globalization;

namespace Aggregator.Benchmarks.Suite;

/// <summary>
/// Processor time (user + system) of processes from <c>/proc/PID/stat</c>, so that a phase's cost can be split by
/// process: each service, the database's and the broker's processes, and the benchmark's own clients.
/// </summary>
public static class CpuTimes
{
    // USER_HZ: the kernel reports times in clock ticks of 1/100 s on every Linux platform .NET runs on.
    private const double TicksPerSecond = 100;

    /// <summary>Seconds of processor time the process has used, its waited-for children included.</summary>
    public static double Seconds(int pid) => Read(pid) ?? 0;

    /// <summary>Seconds used by every live process whose command name is <paramref name="comm"/> (a database's backends).</summary>
    public static double SecondsOfAll(string comm)
    {
        var total = 0.0;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                if (File.ReadAllText(Path.Combine(directory, "comm")).Trim() == comm)
                {
                    total += Read(pid) ?? 0;
                }
            }
            catch (IOException)
            {
                // The process ended between listing and reading.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return total;
    }

    private static double? Read(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }

        // The command name is in parentheses and may hold spaces: the fields are counted from after its closing one.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // Fields 14-17 of stat(5) (utime, stime, cutime, cstime) are 11-14 here, counted from field 3 as 0.
        var ticks = 0L;
        for (var i = 11; i <= 14; i++)
        {
            ticks += long.Parse(fields[i], CultureInfo.InvariantCulture);
        }

        return ticks / TicksPerSecond;
    }
}
