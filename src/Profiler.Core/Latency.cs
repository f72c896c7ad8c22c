using System.Globalization;

namespace Profiler.Core;

/// <summary>A span of wall-clock time. The unit lives in the type, never in a variable name.</summary>
public readonly record struct Latency(double Nanoseconds) : IComparable<Latency>
{
    /// <summary>
    /// The least a timed sample can be: one tick of a 1 GHz clock over the most invocations an iteration runs
    /// (100,000) is 1e-5 ns. A latency below 1e-6 ns was not measured; a file that holds one is refused.
    /// </summary>
    public static Latency SmallestTimed { get; } = new(1e-6);

    /// <summary>The time in microseconds.</summary>
    public double Microseconds => Nanoseconds / 1e3;

    /// <summary>The time in milliseconds.</summary>
    public double Milliseconds => Nanoseconds / 1e6;

    /// <summary>The time in seconds.</summary>
    public double Seconds => Nanoseconds / 1e9;

    /// <summary>Makes a latency from microseconds.</summary>
    public static Latency FromMicroseconds(double us) => new(us * 1e3);

    /// <summary>Makes a latency from milliseconds.</summary>
    public static Latency FromMilliseconds(double ms) => new(ms * 1e6);

    /// <summary>Makes a latency from seconds.</summary>
    public static Latency FromSeconds(double s) => new(s * 1e9);

    /// <summary>Makes a latency from a <see cref="TimeSpan"/>.</summary>
    public static Latency FromTimeSpan(TimeSpan span) => new(span.Ticks * 100.0);

    /// <inheritdoc />
    public int CompareTo(Latency other) => Nanoseconds.CompareTo(other.Nanoseconds);

    /// <summary>
    /// Parses a duration option that must be positive and at most <paramref name="most"/>: "--budget 0s" and
    /// "--budget 1e300h" are refused with a line naming <paramref name="option"/>.
    /// </summary>
    public static Latency ParseOption(string text, string option, Latency most)
    {
        var value = Parse(text);
        if (value.Nanoseconds <= 0) throw new InputException($"{option} must be more than 0, got '{text}'");
        if (value > most) throw new InputException($"{option} must be at most {most}, got '{text}'");
        return value;
    }

    /// <summary>Compares two latencies.</summary>
    public static bool operator <(Latency a, Latency b) => a.Nanoseconds < b.Nanoseconds;

    /// <summary>Compares two latencies.</summary>
    public static bool operator >(Latency a, Latency b) => a.Nanoseconds > b.Nanoseconds;

    /// <summary>Compares two latencies.</summary>
    public static bool operator <=(Latency a, Latency b) => a.Nanoseconds <= b.Nanoseconds;

    /// <summary>Compares two latencies.</summary>
    public static bool operator >=(Latency a, Latency b) => a.Nanoseconds >= b.Nanoseconds;

    /// <summary>Sums two latencies.</summary>
    public static Latency operator +(Latency a, Latency b) => new(a.Nanoseconds + b.Nanoseconds);

    /// <summary>Scales a latency.</summary>
    public static Latency operator *(Latency a, double factor) => new(a.Nanoseconds * factor);

    /// <summary>Divides a latency.</summary>
    public static Latency operator /(Latency a, double divisor) => new(a.Nanoseconds / divisor);

    /// <summary>Formats with a unit chosen for readability, e.g. "412.3 µs".</summary>
    public override string ToString()
    {
        var c = CultureInfo.InvariantCulture;
        double ns = Math.Abs(Nanoseconds);
        if (ns >= 1e9) return (Seconds).ToString("0.000", c) + " s";
        if (ns >= 1e6) return Milliseconds.ToString("0.000", c) + " ms";
        if (ns >= 1e3) return Microseconds.ToString("0.0", c) + " µs";
        return Nanoseconds.ToString("0", c) + " ns";
    }

    /// <summary>
    /// Parses a duration with a unit: "250ns", "40us", "12ms", "1.5s", "5m", "2h". A bare number is refused,
    /// because a number without a unit is exactly the ambiguity this type exists to remove.
    /// </summary>
    public static Latency Parse(string text)
    {
        var t = text.Trim().ToLowerInvariant();
        (string suffix, double scale)[] units =
        [
            ("ns", 1), ("us", 1e3), ("µs", 1e3), ("ms", 1e6), ("s", 1e9), ("m", 60e9), ("min", 60e9), ("h", 3600e9),
        ];
        foreach (var (suffix, scale) in units.OrderByDescending(u => u.suffix.Length))
        {
            if (!t.EndsWith(suffix, StringComparison.Ordinal)) continue;
            var number = t[..^suffix.Length];
            if (double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                && double.IsFinite(value * scale) && value >= 0)
                return new Latency(value * scale);
        }
        throw new InputException($"'{text}' is not a duration with a unit (examples: 500us, 12ms, 90s, 5m)");
    }
}
