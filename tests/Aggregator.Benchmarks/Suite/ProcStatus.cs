using System.Globalization;

namespace Aggregator.Benchmarks.Suite;

/// <summary>Memory of a process from <c>/proc/PID/status</c>.</summary>
public static class ProcStatus
{
    /// <summary>Peak resident set since the process started (VmHWM), in MB.</summary>
    public static double PeakMegabytes(int pid) => Kilobytes(pid, "VmHWM") / 1024.0;

    public static double ResidentMegabytes(int pid) => Kilobytes(pid, "VmRSS") / 1024.0;

    public static long Kilobytes(int pid, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"/proc/{pid}/status has no {field}.");
    }
}
