using System.Globalization;
using System.Text;
using Profiler.Core;

namespace Profiler.Profiles.Json;

/// <summary>
/// Latencies in the file are microseconds; <see cref="Latency"/> holds nanoseconds. Dividing a double by 1000 and
/// multiplying it back changes about 2% of values in the last bit, so a loaded file would not re-serialise to the
/// same bytes. Shifting the decimal point of the shortest round-trip text instead is exact in both directions.
/// </summary>
internal static class MicrosecondText
{
    // Beyond these exponents the plain form gets long; scientific notation is still exact.
    private const int MaxPlainZeros = 20;

    /// <summary>The latency as a JSON number in microseconds. Only for finite values.</summary>
    public static string Format(Latency latency)
    {
        var (negative, digits, exponent) = Decompose(latency.Nanoseconds.ToString("R", CultureInfo.InvariantCulture));
        return (negative ? "-" : "") + Render(digits, exponent - 3);
    }

    /// <summary>Reads a JSON number in microseconds as it appears in the file; false when it is not a number.</summary>
    public static bool TryParse(string jsonNumber, out Latency latency)
    {
        latency = default;
        int e = jsonNumber.IndexOfAny(['e', 'E']);
        string mantissa = e < 0 ? jsonNumber : jsonNumber[..e];
        long exponent = 0;
        if (e >= 0 && !long.TryParse(jsonNumber[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent))
            return false;
        var shifted = string.Create(CultureInfo.InvariantCulture, $"{mantissa}E{exponent + 3}");
        if (!double.TryParse(shifted, NumberStyles.Float, CultureInfo.InvariantCulture, out var ns)) return false;
        latency = new Latency(ns);
        return true;
    }

    /// <summary>Splits "-123.45E-7" into its sign, its significant digits ("12345") and their power of ten (-9).</summary>
    private static (bool Negative, string Digits, int Exponent) Decompose(string text)
    {
        bool negative = text.StartsWith('-');
        if (negative) text = text[1..];
        int exponent = 0;
        int e = text.IndexOf('E');
        if (e >= 0)
        {
            exponent = int.Parse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..e];
        }
        int point = text.IndexOf('.');
        if (point >= 0)
        {
            exponent -= text.Length - point - 1;
            text = text.Remove(point, 1);
        }
        string digits = text.TrimStart('0');
        string trimmed = digits.TrimEnd('0');
        exponent += digits.Length - trimmed.Length;
        return (negative, trimmed, exponent);
    }

    /// <summary>Writes digits × 10^exponent, plainly where that stays short.</summary>
    private static string Render(string digits, int exponent)
    {
        if (digits.Length == 0) return "0";
        if (exponent >= 0)
        {
            return exponent <= MaxPlainZeros ? digits + new string('0', exponent) : Scientific(digits, exponent);
        }
        int point = digits.Length + exponent;
        if (point > 0) return digits[..point] + "." + digits[point..];
        return -point <= MaxPlainZeros ? "0." + new string('0', -point) + digits : Scientific(digits, exponent);
    }

    private static string Scientific(string digits, int exponent)
    {
        var text = new StringBuilder().Append(digits[0]);
        if (digits.Length > 1) text.Append('.').Append(digits, 1, digits.Length - 1);
        return text.Append('E').Append((exponent + digits.Length - 1).ToString(CultureInfo.InvariantCulture)).ToString();
    }
}
