using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Profiler.Tests.Cli;

/// <summary>
/// Random damage to a JSON file, as a careless or hostile sharer would do it: bytes overwritten, the file cut
/// short, a number or a string replaced by an awkward value (markup, control characters, NaN-like text, extremes,
/// another type), a field removed, an array element repeated. Each mutation says what it did, for the failure
/// message. Seeded: the same seed gives the same mutations.
/// </summary>
public sealed class FileMutations(int seed)
{
    private readonly Random rng = new(seed);

    private static readonly string[] Strings =
    [
        "[red]x[/]", "w[x", "cpu [/]", "\u001b[31mred\u001b[0m", "\u001b]0;title\u0007", "a\u0000b", "\u202eevil", "line\nbreak",
        "../../../../etc/shadow", "", new string('x', 5000), "tiny", "prune", "cuda:0", "💥",
    ];

    private static readonly string[] Numbers =
    [
        "0", "-1", "1e308", "-1e308", "1e-320", "2147483648", "-2147483649", "9007199254740993", "0.5", "\"12\"", "null", "true",
        "[]", "{}", "1e6", "-0.0",
    ];

    /// <summary>One mutation of <paramref name="json"/>: the new bytes and a description.</summary>
    public (byte[] Bytes, string What) Mutate(byte[] json)
    {
        switch (rng.Next(6))
        {
            case 0:
            {
                var bytes = (byte[])json.Clone();
                int count = rng.Next(1, 17);
                for (int i = 0; i < count; i++) bytes[rng.Next(bytes.Length)] = (byte)rng.Next(256);
                return (bytes, $"{count} random bytes");
            }
            case 1:
            {
                int length = rng.Next(json.Length);
                return (json[..length], $"cut at byte {length}");
            }
            default:
                return MutateTree(json);
        }
    }

    private (byte[], string) MutateTree(byte[] json)
    {
        var root = JsonNode.Parse(json)!;
        var leaves = new List<(JsonNode Parent, string? Name, int Index, JsonNode? Node)>();
        Collect(root, leaves);
        var (parent, name, index, node) = leaves[rng.Next(leaves.Count)];
        string what;
        switch (rng.Next(4))
        {
            case 0 when node is JsonValue v && v.GetValueKind() == JsonValueKind.String:
            case 1 when node is JsonValue:
            {
                var text = Strings[rng.Next(Strings.Length)];
                Set(parent, name, index, JsonValue.Create(text));
                what = $"{node!.GetPath()} = string {Show(text)}";
                break;
            }
            case 2 when parent is JsonObject o && name is not null:
                o.Remove(name);
                what = $"removed {node?.GetPath() ?? name}";
                break;
            case 3 when parent is JsonArray a:
                a.Add(a[index]?.DeepClone());
                what = $"repeated {node?.GetPath()}";
                break;
            default:
            {
                var value = Numbers[rng.Next(Numbers.Length)];
                Set(parent, name, index, JsonNode.Parse(value));
                what = $"{node?.GetPath()} = {value}";
                break;
            }
        }
        return (Encoding.UTF8.GetBytes(root.ToJsonString(new JsonSerializerOptions { WriteIndented = true })), what);
    }

    private static void Collect(JsonNode node, List<(JsonNode, string?, int, JsonNode?)> leaves)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, child) in o.ToList())
                {
                    if (child is JsonValue or null) leaves.Add((o, key, -1, child));
                    else Collect(child, leaves);
                }
                break;
            case JsonArray a:
                for (int i = 0; i < a.Count; i++)
                {
                    if (a[i] is JsonValue or null) leaves.Add((a, null, i, a[i]));
                    else Collect(a[i]!, leaves);
                }
                break;
        }
    }

    private static void Set(JsonNode parent, string? name, int index, JsonNode? value)
    {
        if (parent is JsonObject o) o[name!] = value;
        else ((JsonArray)parent)[index] = value;
    }

    private static string Show(string text) => text.Length > 40 ? $"of {text.Length} characters" : JsonSerializer.Serialize(text);
}
