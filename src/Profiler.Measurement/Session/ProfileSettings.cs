using Profiler.Core;
using Profiler.Measurement.Engine;

namespace Profiler.Measurement.Session;

/// <summary>
/// What a profile measures and how; every property has a default, so <c>new ProfileSettings { Output = "x.profile.json" }</c>
/// profiles the <see cref="Preset.Tiny"/> model's operators on the preset's token grid as <c>profiler profile</c> does.
/// </summary>
public sealed record ProfileSettings
{
    /// <summary>The model whose operators are measured (its name goes into the profile).</summary>
    public Preset Preset { get; init; } = Preset.Tiny;

    /// <summary>Layer sizes; null: the preset's.</summary>
    public ModelShape? Shape { get; init; }

    /// <summary>Operators to measure; null: every one the backend runs.</summary>
    public IReadOnlyList<OperatorKind>? Operators { get; init; }

    /// <summary>Token counts of the dense operators; null: the preset's grid.</summary>
    public IReadOnlyList<int>? Tokens { get; init; }

    /// <summary>Token counts of the reductions and scores; null: the preset's coarser grid.</summary>
    public IReadOnlyList<int>? ReductionTokens { get; init; }

    /// <summary>Retention ratios at which each reduction is measured.</summary>
    public IReadOnlyList<double> KeepRatios { get; init; } = [0.25, 0.5, 0.75];

    /// <summary>Also measure each reduction's aligned anchor of O(α), which a search needs.</summary>
    public bool Aligned { get; init; } = true;

    /// <summary>Batch size of every case.</summary>
    public int Batch { get; init; } = 1;

    /// <summary>Cap on the whole run; cases keep what they have when it runs out. Null: none.</summary>
    public Latency? Budget { get; init; }

    /// <summary>Cap on timed work per case.</summary>
    public Latency MaxCaseTime { get; init; } = Latency.FromSeconds(10);

    /// <summary>Most bursts per case.</summary>
    public int Rounds { get; init; } = EngineSettings.DefaultRounds;

    /// <summary>Skip a case (and its larger token counts) whose one invocation takes longer than this. Null: none.</summary>
    public double? MaxCaseSeconds { get; init; }

    /// <summary>Apply the drift correction where the run measures that it helps.</summary>
    public bool CorrectDrift { get; init; }

    /// <summary>Seed of the weights and inputs.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>The profile file; its raw store lives beside it (<see cref="ProfileSession.RawStorePath"/>).</summary>
    public required string Output { get; init; }

    /// <summary>Where a profile goes by default: runs/&lt;backend&gt;-&lt;device&gt;-&lt;preset&gt;.profile.json.</summary>
    public static string DefaultOutput(string backend, string device, Preset preset) =>
        Path.Combine("runs", $"{backend}-{device.Replace(":", "")}-{preset.Name}.profile.json");

    /// <summary>Continue a stopped run from its raw store.</summary>
    public bool Resume { get; init; }

    /// <summary>Replace an existing profile (and start its raw store over).</summary>
    public bool Force { get; init; }

    /// <summary>The layer sizes measured.</summary>
    public ModelShape ShapeOrPreset => Shape ?? Preset.Shape;

    /// <summary>The dense token counts measured.</summary>
    public IReadOnlyList<int> TokensOrPreset => Tokens ?? Preset.DefaultTokens;

    /// <summary>The reduction token counts measured.</summary>
    public IReadOnlyList<int> ReductionTokensOrPreset => ReductionTokens ?? Preset.ReductionTokens;
}
