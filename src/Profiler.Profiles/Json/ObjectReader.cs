using System.Globalization;
using System.Text.Json;
using Profiler.Core;

namespace Profiler.Profiles.Json;

/// <summary>
/// Reads the fields of one JSON object by name, checking each field's type and range and naming the field by its
/// JSON path when it is wrong. Remembers what it read so that <see cref="RejectUnknown"/> can refuse the rest
/// (a misspelt field would otherwise be silently ignored).
/// </summary>
internal sealed class ObjectReader
{
    private readonly JsonElement _element;
    private readonly HashSet<string> _read = [];

    private ObjectReader(JsonElement element, string path)
    {
        _element = element;
        Path = path;
    }

    /// <summary>The JSON path of this object ("" for the root).</summary>
    public string Path { get; }

    /// <summary>Reads <paramref name="element"/> as an object found at <paramref name="path"/>.</summary>
    public static ObjectReader Of(JsonElement element, string path) =>
        element.ValueKind == JsonValueKind.Object
            ? new ObjectReader(element, path)
            : throw new ProfileFormatException(path, $"expected an object, got {Describe(element)}");

    /// <summary>The path of a field of this object.</summary>
    public string PathOf(string name) => Path.Length == 0 ? name : Path + "." + name;

    /// <summary>True when the object has the field.</summary>
    public bool Has(string name) => _element.TryGetProperty(name, out _);

    /// <summary>The field's value; a missing field is an error.</summary>
    public JsonElement Field(string name)
    {
        _read.Add(name);
        return _element.TryGetProperty(name, out var value)
            ? value
            : throw new ProfileFormatException(PathOf(name), "required field is missing");
    }

    /// <summary>A nested object.</summary>
    public ObjectReader Object(string name) => Of(Field(name), PathOf(name));

    /// <summary>An array's elements with their paths.</summary>
    public IEnumerable<(JsonElement Element, string Path)> Array(string name)
    {
        var array = Field(name);
        var path = PathOf(name);
        if (array.ValueKind != JsonValueKind.Array)
            throw new ProfileFormatException(path, $"expected an array, got {Describe(array)}");
        return array.EnumerateArray().Select((element, i) => (element, $"{path}[{i}]"));
    }

    /// <summary>A string field.</summary>
    public string String(string name) => ReadString(Field(name), PathOf(name));

    /// <summary>A true/false field.</summary>
    public bool Bool(string name)
    {
        var value = Field(name);
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new ProfileFormatException(PathOf(name), $"expected true or false, got {Describe(value)}"),
        };
    }

    /// <summary>A whole-number field of at least <paramref name="min"/>.</summary>
    public int Int(string name, int min = int.MinValue) => ReadInt(Field(name), PathOf(name), min);

    /// <summary>A 64-bit whole-number field of at least <paramref name="min"/>.</summary>
    public long Long(string name, long min)
    {
        var value = Field(name);
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var n))
            throw new ProfileFormatException(PathOf(name), $"expected a whole number, got {Describe(value)}");
        return n >= min ? n : throw new ProfileFormatException(PathOf(name), $"must be at least {min}, got {n}");
    }

    /// <summary>A finite number field of at least <paramref name="min"/>.</summary>
    public double Number(string name, double min) => ReadNumber(Field(name), PathOf(name), min);

    /// <summary>A latency field in microseconds that must be positive.</summary>
    public Latency Latency(string name) => ReadLatency(Field(name), PathOf(name), allowZero: false);

    /// <summary>A latency field in microseconds that may be zero (spreads such as a standard deviation).</summary>
    public Latency Spread(string name) => ReadLatency(Field(name), PathOf(name), allowZero: true);

    /// <summary>A positive latency field in microseconds, or null.</summary>
    public Latency? NullableLatency(string name)
    {
        var value = Field(name);
        return value.ValueKind == JsonValueKind.Null ? null : ReadLatency(value, PathOf(name), allowZero: false);
    }

    /// <summary>A string-to-string map.</summary>
    public IReadOnlyDictionary<string, string> StringMap(string name)
    {
        var map = Object(name);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in map._element.EnumerateObject())
            result[property.Name] = ReadString(property.Value, map.PathOf(property.Name));
        return result;
    }

    /// <summary>Refuses any field of this object that was not read.</summary>
    public void RejectUnknown()
    {
        foreach (var property in _element.EnumerateObject())
        {
            if (!_read.Contains(property.Name))
                throw new ProfileFormatException(Path, $"unknown field {ProfileFormatException.Quote(property.Name)}");
        }
    }

    /// <summary>A string value.</summary>
    public static string ReadString(JsonElement value, string path) =>
        value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new ProfileFormatException(path, $"expected a string, got {Describe(value)}");

    /// <summary>A whole-number value of at least <paramref name="min"/>.</summary>
    public static int ReadInt(JsonElement value, string path, int min = int.MinValue)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var n))
            throw new ProfileFormatException(path, $"expected a whole number, got {Describe(value)}");
        return n >= min ? n : throw new ProfileFormatException(path, $"must be at least {min}, got {n}");
    }

    /// <summary>A finite number of at least <paramref name="min"/>.</summary>
    public static double ReadNumber(JsonElement value, string path, double min)
    {
        RefuseNamedNumber(value, path, "a finite number");
        if (value.ValueKind != JsonValueKind.Number)
            throw new ProfileFormatException(path, $"expected a number, got {Describe(value)}");
        if (!value.TryGetDouble(out var x) || !double.IsFinite(x))
            throw new ProfileFormatException(path, $"{value.GetRawText()} is not a finite number");
        return x >= min ? x : throw new ProfileFormatException(path, $"must be at least {Show(min)}, got {value.GetRawText()}");
    }

    /// <summary>A latency written as a number of microseconds.</summary>
    public static Latency ReadLatency(JsonElement value, string path, bool allowZero)
    {
        RefuseNamedNumber(value, path, "a latency");
        if (value.ValueKind != JsonValueKind.Number)
            throw new ProfileFormatException(path, $"expected a number of microseconds, got {Describe(value)}");
        var raw = value.GetRawText();
        if (!MicrosecondText.TryParse(raw, out var latency) || !double.IsFinite(latency.Nanoseconds))
            throw new ProfileFormatException(path, $"{raw} is not a latency (too large)");
        if (latency.Nanoseconds < 0 || (!allowZero && latency.Nanoseconds == 0))
            throw new ProfileFormatException(path, $"{raw} is not a latency (must be {(allowZero ? "at least 0" : "more than 0")} µs)");
        if (!allowZero && latency < Core.Latency.SmallestTimed)
            throw new ProfileFormatException(path, $"{raw} is not a latency (below {MicrosecondText.Format(Core.Latency.SmallestTimed)} µs, less than any timed sample can be)");
        return latency;
    }

    /// <summary>"the string \"12\"", "an object", …: what a wrong value is, for messages.</summary>
    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "the string " + ProfileFormatException.Quote(value.GetString()!),
        JsonValueKind.Number => "the number " + value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => "null",
    };

    // JSON has no NaN or Infinity; serialisers that allow them write strings instead. Name them plainly.
    private static void RefuseNamedNumber(JsonElement value, string path, string what)
    {
        if (value.ValueKind != JsonValueKind.String) return;
        var text = value.GetString()!.Trim();
        if (text is "NaN" or "Infinity" or "-Infinity" or "+Infinity" or "∞" or "-∞")
            throw new ProfileFormatException(path, $"{text} is not {what}");
    }

    private static string Show(double x) => x.ToString(CultureInfo.InvariantCulture);
}
