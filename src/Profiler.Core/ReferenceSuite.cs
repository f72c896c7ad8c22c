namespace Profiler.Core;

/// <summary>
/// The reference suite: three fixed cases run through a profile's own backend at the start of every run, so that a
/// later run elsewhere can tell how this machine differs from the profiled one. <see cref="Call"/> is a one-element
/// operation (what every call costs however small), <see cref="Compute"/> a mid-size matrix product (arithmetic),
/// <see cref="Memory"/> a copy larger than a level-2 cache (bandwidth).
/// </summary>
public static class ReferenceCaseNames
{
    /// <summary>The per-call case.</summary>
    public const string Call = "call";

    /// <summary>The arithmetic case.</summary>
    public const string Compute = "compute";

    /// <summary>The bandwidth case.</summary>
    public const string Memory = "memory";

    /// <summary>Every case, in the order they are run and written.</summary>
    public static IReadOnlyList<string> All { get; } = [Call, Compute, Memory];
}

/// <summary>One reference case as measured.</summary>
/// <param name="Name">One of <see cref="ReferenceCaseNames.All"/>.</param>
/// <param name="Description">What ran, e.g. "matmul 256x256 by 256x256 float32".</param>
/// <param name="Latency">Latency of one invocation: the profiler's estimate with its 95% interval (always bounded).</param>
/// <param name="InvocationsPerIteration">Invocations timed together in one sample.</param>
/// <param name="Flops">FLOPs of one invocation.</param>
/// <param name="Bytes">Compulsory bytes one invocation moves.</param>
public sealed record ReferenceCase(string Name, string Description, LatencyEstimate Latency, int InvocationsPerIteration, double Flops, double Bytes);

/// <summary>A reference case the backend could not run, and why: recorded instead of a number.</summary>
/// <param name="Name">One of <see cref="ReferenceCaseNames.All"/>.</param>
/// <param name="Reason">What went wrong, one line.</param>
public sealed record ReferenceFailure(string Name, string Reason);

/// <summary>
/// The reference suite's results on one machine: each of <see cref="ReferenceCaseNames.All"/> exactly once, either
/// measured (<see cref="Cases"/>) or failed with its reason (<see cref="Failures"/>).
/// </summary>
public sealed record ReferenceSuite
{
    /// <summary>Longest description or reason a suite may hold.</summary>
    public const int MaxTextLength = 300;

    /// <summary>The cases that ran.</summary>
    public required IReadOnlyList<ReferenceCase> Cases { get; init; }

    /// <summary>The cases that could not run.</summary>
    public IReadOnlyList<ReferenceFailure> Failures { get; init; } = [];

    /// <summary>The measured case <paramref name="name"/>, or null when it failed or is absent.</summary>
    public ReferenceCase? Find(string name) => Cases.FirstOrDefault(c => c.Name == name);

    /// <summary>Why case <paramref name="name"/> has no measurement ("not recorded" when it is absent altogether).</summary>
    public string WhyMissing(string name) => Failures.FirstOrDefault(f => f.Name == name)?.Reason ?? "not recorded";

    /// <summary>
    /// The first problem, with the field it is in (a path such as "cases[1].name", empty for the suite as a whole),
    /// or null: known names, each once (measured or failed), texts present and
    /// within <see cref="MaxTextLength"/>, latencies finite and positive with low ≤ value ≤ high, counts positive,
    /// FLOPs and bytes finite and not negative.
    /// </summary>
    public (string Field, string Problem)? FindProblem()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < Cases.Count; i++)
        {
            var c = Cases[i];
            var at = $"cases[{i}]";
            if (NameProblem(c.Name, seen) is { } name) return ($"{at}.name", name);
            if (TextProblem(c.Description) is { } text) return ($"{at}.description", text);
            if (LatencyProblem(c.Latency) is { } latency) return (at, latency);
            if (c.InvocationsPerIteration < 1) return ($"{at}.invocationsPerIteration", $"must be at least 1, got {c.InvocationsPerIteration}");
            if (!(double.IsFinite(c.Flops) && c.Flops >= 0)) return ($"{at}.flops", $"{c.Flops} is not a finite number of at least 0");
            if (!(double.IsFinite(c.Bytes) && c.Bytes >= 0)) return ($"{at}.bytes", $"{c.Bytes} is not a finite number of at least 0");
        }
        for (int i = 0; i < Failures.Count; i++)
        {
            var at = $"failures[{i}]";
            if (NameProblem(Failures[i].Name, seen) is { } name) return ($"{at}.name", name);
            if (TextProblem(Failures[i].Reason) is { } text) return ($"{at}.reason", text);
        }
        var absent = ReferenceCaseNames.All.Where(n => !seen.Contains(n)).ToList();
        return absent.Count == 0 ? null : ("", $"no result for {string.Join(", ", absent)} (each case is measured or listed as failed)");
    }

    /// <summary>Value equality, cases and failures compared in order.</summary>
    public bool Equals(ReferenceSuite? other) =>
        other is not null && Cases.SequenceEqual(other.Cases) && Failures.SequenceEqual(other.Failures);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Cases.Count, Failures.Count, Cases.FirstOrDefault());

    private static string? NameProblem(string name, HashSet<string> seen)
    {
        if (!ReferenceCaseNames.All.Contains(name))
            return $"\"{PrintableText.Line(name[..Math.Min(name.Length, 40)])}\" is not a reference case (known: {string.Join(", ", ReferenceCaseNames.All)})";
        return seen.Add(name) ? null : $"\"{name}\" appears twice";
    }

    private static string? TextProblem(string text) =>
        text.Trim().Length == 0 ? "is empty"
        : text.Length > MaxTextLength ? $"{text.Length} characters, more than {MaxTextLength}"
        : null;

    private static string? LatencyProblem(LatencyEstimate e)
    {
        if (e.Low is not { } low || e.High is not { } high) return "the latency has no interval (the suite always takes enough samples for one)";
        foreach (var (what, value) in new[] { ("latency", e.Value), ("low end", low), ("high end", high) })
        {
            if (!double.IsFinite(value.Nanoseconds) || value < Latency.SmallestTimed) return $"the {what} {value.Nanoseconds} ns is not a positive latency";
        }
        if (low > e.Value || e.Value > high) return $"the interval {low}–{high} does not hold the latency {e.Value}";
        return e.Count >= 1 ? null : $"the sample count is {e.Count}";
    }
}
