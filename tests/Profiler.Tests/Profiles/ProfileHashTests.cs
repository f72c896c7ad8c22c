using System.Text.RegularExpressions;
using Profiler.Core;
using Profiler.Profiles;

namespace Profiler.Tests.Profiles;

public class ProfileHashTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(99)]
    public void TheHashIsDeterministicAndIgnoresTheStoredHash(int seed)
    {
        var a = SampleProfiles.Random(seed);
        var b = SampleProfiles.Random(seed);

        Assert.Matches(new Regex("^sha256:[0-9a-f]{64}$"), a.ContentHash);
        Assert.True(ProfileHash.Compute(a) == ProfileHash.Compute(a), $"seed {seed}: two computations differ");
        Assert.True(ProfileHash.Compute(a) == ProfileHash.Compute(b), $"seed {seed}: equal documents hash differently");
        Assert.True(ProfileHash.Compute(a) == ProfileHash.Compute(a with { ContentHash = "anything" }), $"seed {seed}: the stored hash was hashed");
    }

    [Fact]
    public void ThreadSettingsInAnotherOrderHashTheSame()
    {
        var document = SampleProfiles.Random(5);
        var reversed = document.Fingerprint.ThreadSettings.Reverse().ToDictionary(p => p.Key, p => p.Value);

        var other = document with { Fingerprint = document.Fingerprint with { ThreadSettings = reversed } };

        Assert.Equal(ProfileHash.Compute(document), ProfileHash.Compute(other));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public void AnyChangedValueChangesTheHash(int seed)
    {
        var d = SampleProfiles.Random(seed);
        var c0 = d.Cases[1];
        var nudged = new Latency(Math.BitIncrement(c0.Statistics.Median.Nanoseconds));
        var changes = new Dictionary<string, ProfileDocument>
        {
            ["median one bit up"] = d with { Cases = [d.Cases[0], c0 with { Statistics = c0.Statistics with { Median = nudged } }, .. d.Cases.Skip(2)] },
            ["uncorrected median"] = d with { Cases = [d.Cases[0], c0 with { UncorrectedMedian = c0.UncorrectedMedian * 2 }, .. d.Cases.Skip(2)] },
            ["sample count"] = d with { Cases = [d.Cases[0], c0 with { Statistics = c0.Statistics with { Count = c0.Statistics.Count + 1 } }, .. d.Cases.Skip(2)] },
            ["case order"] = d with { Cases = [d.Cases[1], d.Cases[0], .. d.Cases.Skip(2)] },
            ["case removed"] = d with { Cases = d.Cases.Skip(1).ToList() },
            ["cpu model"] = d with { Fingerprint = d.Fingerprint with { CpuModel = d.Fingerprint.CpuModel + " " } },
            ["date"] = d with { Fingerprint = d.Fingerprint with { Date = d.Fingerprint.Date.AddTicks(1) } },
            ["seed"] = d with { Settings = d.Settings with { Seed = d.Settings.Seed ^ 1 } },
            ["complete"] = d with { Settings = d.Settings with { Complete = !d.Settings.Complete } },
            ["ceiling"] = d with { Ceilings = d.Ceilings with { MatmulFlopsPerSecond = d.Ceilings.MatmulFlopsPerSecond * 1.0000001 } },
            ["drift applied"] = d with { Drift = d.Drift with { Applied = !d.Drift.Applied } },
            ["schema version"] = d with { SchemaVersion = ProfileDocument.CurrentSchemaVersion + 1 },
            ["latency one bit up"] = d with { Cases = [d.Cases[0], c0 with { Latency = c0.Latency with { Value = new Latency(Math.BitIncrement(c0.Latency.Value.Nanoseconds)) } }, .. d.Cases.Skip(2)] },
        };

        foreach (var (name, changed) in changes)
            Assert.True(ProfileHash.Compute(d) != ProfileHash.Compute(changed), $"seed {seed}: changing the {name} kept the hash");
    }
}
