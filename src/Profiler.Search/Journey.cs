using Profiler.Core;
using Profiler.CostModel;
using Profiler.CostModel.Surrogate;
using Profiler.Measurement.Session;
using Profiler.Operators.Reduction;
using Profiler.Profiles;

namespace Profiler.Search;

/// <summary>
/// The whole path on the embedded default, for a first run on a new machine, as the entry points a user would call:
/// profile this CPU on <c>tiny</c> with a short grid (aligned anchors included), fit the surrogate, then search a plan
/// for the shipped model at the target and verify it and the baselines here.
/// </summary>
/// <param name="Folder">Where the profile, surrogate and search result go.</param>
/// <param name="Target">Latency budget as a fraction of the unreduced model's, in (0, 1].</param>
/// <param name="Threads">Intra-op threads.</param>
/// <param name="Questions">Test questions per plan, the same for every plan.</param>
public sealed record Journey(string Folder, double Target = 0.6, int? Threads = null, int Questions = 4000)
{
    /// <summary>Dense operators at these token counts: the model's range (147 tokens unreduced) with room above.</summary>
    public static IReadOnlyList<int> Tokens { get; } = TokenGrid.Range(8, 168, 8);

    /// <summary>Reductions and scores at these counts.</summary>
    public static IReadOnlyList<int> ReductionTokens { get; } = TokenGrid.Range(16, 160, 16);

    /// <summary>Rounds per measured plan: fewer than search's default, so that the journey takes at most 10 minutes here.</summary>
    public const int Rounds = 64;

    /// <summary>
    /// The scores the journey's searches rank by: the attention scores. The token norm costs each search a third of
    /// its time and never won in a journey here: 64–71% validation accuracy with the latency cost and 79% with the
    /// FLOPs cost, against 81–86% and 87–90% for the attention scores (`search` tries all three by default).
    /// </summary>
    public static IReadOnlyList<ScoreKind> Scores { get; } = [ScoreKind.Cls, ScoreKind.LastText];

    /// <summary>The journey with its values checked (bad ones are an <see cref="InputException"/>).</summary>
    public Journey Validated()
    {
        if (!(Target > 0 && Target <= 1)) throw new InputException($"--target must lie in (0, 1], got {Target}");
        InputCheck.Positive(Questions, "--count");
        InputCheck.Positive(ThreadCount, "--threads");
        return this;
    }

    /// <summary>The threads used: <see cref="Threads"/>, or all cores.</summary>
    public int ThreadCount => Threads ?? Environment.ProcessorCount;

    /// <summary>The profile it writes.</summary>
    public string ProfilePath => Path.Combine(Folder, "torch-cpu-tiny.profile.json");

    /// <summary>The surrogate it fits.</summary>
    public string SurrogatePath => SurrogateFile.PathBeside(ProfilePath);

    /// <summary>The search result it writes.</summary>
    public string SearchPath => Path.Combine(Folder, "search.json");

    /// <summary>Step 1: the profiling session's settings (open it on a torch CPU backend with <see cref="ThreadCount"/> threads).</summary>
    public ProfileSettings Profile => new() { Preset = Preset.Tiny, Tokens = Tokens, ReductionTokens = ReductionTokens, Output = ProfilePath, Force = true };

    /// <summary>Step 2: fits the profile and writes the surrogate; <paramref name="say"/> hears the fitter's progress.</summary>
    public void Fit(Action<string>? say = null) => new FitJob(ProfilePath, SurrogatePath, Force: true).Run(say);

    /// <summary>
    /// Step 3: the search job on the surrogate just fitted. It was fitted on this machine minutes ago, so no reference
    /// suite runs and nothing is transferred.
    /// </summary>
    public SearchJob Search => new()
    {
        Surrogate = SurrogatePath, Targets = [new SearchTarget(Target, null)], NoTransfer = true,
        Request = new SearchRequest { TestCount = Questions, Threads = ThreadCount, Scores = Scores, Rounds = Rounds },
    };
}
