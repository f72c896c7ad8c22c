using Profiler.CostModel;
using Profiler.Profiles;

namespace Profiler.Tests.CostModel;

/// <summary>
/// One synthetic profile with a fresh random seed, fitted once and shared by the cost-model tests (a fit compares
/// five regressors on held-out folds and takes seconds). Every assertion names the seed so a failure can be replayed
/// with <c>PROFILER_TEST_SEED</c>.
/// </summary>
public sealed class FittedSynthetic
{
    /// <summary>Fits the profile.</summary>
    public FittedSynthetic()
    {
        Seed = int.TryParse(Environment.GetEnvironmentVariable("PROFILER_TEST_SEED"), out var fixedSeed) ? fixedSeed : Random.Shared.Next(1, 1_000_000);
        Profile = SyntheticProfiles.Create(Seed);
        Fit = CostModelFitter.Fit(Profile, "synthetic.profile.json");
    }

    /// <summary>The seed of the profile.</summary>
    public int Seed { get; }

    /// <summary>The synthetic profile.</summary>
    public ProfileDocument Profile { get; }

    /// <summary>The fit.</summary>
    public FitResult Fit { get; }

    /// <summary>"seed N" for assertion messages.</summary>
    public string Replay => $"seed {Seed} (replay with PROFILER_TEST_SEED={Seed})";
}

/// <summary>The test collection that shares one <see cref="FittedSynthetic"/>.</summary>
[CollectionDefinition(Name)]
public sealed class FittedSyntheticCollection : ICollectionFixture<FittedSynthetic>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "fitted synthetic profile";
}
