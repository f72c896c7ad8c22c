using System.Text.Json;
using Profiler.Core;

namespace Profiler.Profiles.Json;

/// <summary>
/// The profile's <c>reference</c> object (schema 3): the reference suite's cases with their latency and interval in
/// microseconds, and the cases that could not run with their reasons. Read with the parser's rules and the suite's
/// own (<see cref="ReferenceSuite.FindProblem"/>), written in file order.
/// </summary>
internal static class ReferenceJson
{
    /// <summary>The field's value: the suite, or null where the run did not measure one.</summary>
    public static ReferenceSuite? Read(ObjectReader root, string name)
    {
        if (root.Field(name).ValueKind == JsonValueKind.Null) return null;
        var r = root.Object(name);
        var estimator = r.String("estimator");
        if (estimator != LatencyEstimate.Name)
            throw new ProfileFormatException(r.PathOf("estimator"), $"{ProfileFormatException.Quote(estimator)} is not an estimator this tool knows (it writes \"{LatencyEstimate.Name}\")");
        var suite = new ReferenceSuite
        {
            Cases = r.Array("cases").Select(e => ReadCase(ObjectReader.Of(e.Element, e.Path))).ToList(),
            Failures = r.Array("failures").Select(e => ReadFailure(ObjectReader.Of(e.Element, e.Path))).ToList(),
        };
        r.RejectUnknown();
        if (suite.FindProblem() is { } problem)
            throw new ProfileFormatException(problem.Field.Length == 0 ? r.Path : r.PathOf(problem.Field), problem.Problem);
        return suite;
    }

    /// <summary>Writes the suite, or null.</summary>
    public static void Write(Utf8JsonWriter w, string name, ReferenceSuite? suite)
    {
        if (suite is null)
        {
            w.WriteNull(name);
            return;
        }
        w.WriteStartObject(name);
        w.WriteString("estimator", LatencyEstimate.Name);
        w.WriteStartArray("cases");
        foreach (var c in suite.Cases)
        {
            w.WriteStartObject();
            w.WriteString("name", c.Name);
            w.WriteString("description", c.Description);
            ProfileJsonWriter.WriteLatency(w, "latencyUs", c.Latency.Value);
            WriteBound(w, "latencyLowUs", c.Latency.Low);
            WriteBound(w, "latencyHighUs", c.Latency.High);
            w.WriteNumber("n", c.Latency.Count);
            w.WriteNumber("invocationsPerIteration", c.InvocationsPerIteration);
            ProfileJsonWriter.WriteDouble(w, "flops", c.Flops);
            ProfileJsonWriter.WriteDouble(w, "bytes", c.Bytes);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("failures");
        foreach (var f in suite.Failures)
        {
            w.WriteStartObject();
            w.WriteString("name", f.Name);
            w.WriteString("reason", f.Reason);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static ReferenceCase ReadCase(ObjectReader r)
    {
        var value = r.Latency("latencyUs");
        var low = r.Latency("latencyLowUs");
        var high = r.Latency("latencyHighUs");
        if (low > value) throw new ProfileFormatException(r.PathOf("latencyLowUs"), $"{MicrosecondText.Format(low)} is above latencyUs {MicrosecondText.Format(value)}");
        if (value > high) throw new ProfileFormatException(r.PathOf("latencyUs"), $"{MicrosecondText.Format(value)} is above latencyHighUs {MicrosecondText.Format(high)}");
        var c = new ReferenceCase(
            r.String("name"), r.String("description"), new LatencyEstimate(value, low, high, r.Int("n", min: 1)),
            r.Int("invocationsPerIteration", min: 1), r.Number("flops", min: 0), r.Number("bytes", min: 0));
        r.RejectUnknown();
        return c;
    }

    private static ReferenceFailure ReadFailure(ObjectReader r)
    {
        var failure = new ReferenceFailure(r.String("name"), r.String("reason"));
        r.RejectUnknown();
        return failure;
    }

    // A suite's latency always has its interval; a document without one is refused by the writer's read-back.
    private static void WriteBound(Utf8JsonWriter w, string name, Latency? bound)
    {
        if (bound is { } b) ProfileJsonWriter.WriteLatency(w, name, b);
        else w.WriteNull(name);
    }
}
