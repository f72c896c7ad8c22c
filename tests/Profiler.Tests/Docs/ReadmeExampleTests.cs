using System.Text.RegularExpressions;
using Profiler.Core;
using Profiler.CostModel;
using Profiler.CostModel.Surrogate;
using Profiler.Measurement.Backends.Torch;
using Profiler.Measurement.Session;
using Profiler.Operators.Plans;
using Profiler.Operators.Reduction;
using Profiler.Search;
using Profiler.Tasks.Network;
using Profiler.Tests.Search;

namespace Profiler.Tests.Docs;

/// <summary>
/// The README's C# example (profile, fit, search) is the code between the markers below, compiled with the tests;
/// one test runs it, another checks that README.md shows exactly that code, so the example cannot drift.
/// </summary>
public class ReadmeExampleTests
{
    // README example begins
    public static ReductionPlan ProfileFitSearch(string folder)
    {
        // 1. Profile this CPU on the tiny model's operators (a coarse token grid: seconds, not a minute).
        using var backend = new TorchBackend("cpu", Environment.ProcessorCount);
        var profile = ProfileSession.Run(backend, new ProfileSettings
        {
            Output = Path.Combine(folder, "cpu.profile.json"), Force = true,
            Tokens = [16, 48, 80, 112, 144, 176], ReductionTokens = [16, 48, 80, 112, 144, 176],
        });

        // 2. Fit the latency surrogate on the profile.
        var fit = CostModelFitter.Fit(profile.Document!, profile.ProfilePath);
        var surrogate = new LatencySurrogate(SurrogateFile.Write(Path.Combine(folder, "cpu.surrogate.json"), fit.Document, force: true));

        // 3. Search the shipped model's plan for 60% of its predicted latency.
        using var latency = new LatencyCost(surrogate, Preset.Tiny);
        var (model, _) = Checkpoint.Load(Checkpoint.ShippedPath);
        using var _model = model;
        double target = 0.6 * latency.Of(ReductionPlan.None);
        var (parameters, _) = Searcher.Run(model, latency, new SearchSettings { Target = target, Score = ScoreKind.Cls }, SearchSpace.For(model));
        using var _parameters = parameters;
        return Searcher.Discretise(parameters, latency, target, ScoreKind.Cls, fillBudget: true);
    }
    // README example ends

    [ShippedCheckpointFact]
    public void The_readme_example_profiles_fits_and_searches_a_plan_within_its_budget()
    {
        var folder = Directory.CreateTempSubdirectory("profiler-readme-").FullName;
        try
        {
            var plan = ProfileFitSearch(folder);
            Assert.True(File.Exists(Path.Combine(folder, "cpu.profile.json")));
            Assert.True(File.Exists(Path.Combine(folder, "cpu.surrogate.json")));
            Assert.NotEmpty(plan.Steps);
            using var latency = new LatencyCost(LatencySurrogate.Load(Path.Combine(folder, "cpu.surrogate.json")), Preset.Tiny);
            Assert.True(latency.Of(plan) <= 0.6 * latency.Of(ReductionPlan.None) + 1e-9, $"{plan.Describe()} predicted over its budget");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void The_readme_shows_the_example_as_it_is_compiled()
    {
        var source = File.ReadAllText(RepositoryFile("tests/Profiler.Tests/Docs/ReadmeExampleTests.cs"));
        var readme = File.ReadAllText(RepositoryFile("README.md"));
        var example = Regex.Match(source, @"// README example begins\n(.*?)    // README example ends", RegexOptions.Singleline).Groups[1].Value;
        Assert.False(string.IsNullOrWhiteSpace(example));
        var dedented = string.Join("\n", example.TrimEnd('\n').Split('\n').Select(line => line.Length >= 4 ? line[4..] : line.TrimStart()));
        Assert.Contains("```csharp\n" + dedented + "\n```", readme.Replace("\r\n", "\n"));
    }

    private static string RepositoryFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, relative);
            if (File.Exists(path) && File.Exists(Path.Combine(dir.FullName, "Profiler.sln"))) return path;
        }
        throw new FileNotFoundException($"{relative} above {AppContext.BaseDirectory}");
    }
}
