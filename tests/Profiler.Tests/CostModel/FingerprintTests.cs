using Profiler.Core;
using Profiler.CostModel.Surrogate;

namespace Profiler.Tests.CostModel;

[Collection(FittedSyntheticCollection.Name)]
public class FingerprintTests(FittedSynthetic fixture)
{
    private LatencySurrogate Surrogate => new(fixture.Fit.Document);

    [Fact]
    public void OtherHardwareIsRefusedUnlessAllowed()
    {
        var other = SyntheticProfiles.Fingerprint("Another CPU 1");
        var e = Assert.Throws<InputException>(() => Surrogate.CheckFingerprint(other, "the profile b.profile.json", allowMismatch: false));
        Assert.Contains("--allow-mismatch", e.Message);
        Assert.Contains("Another CPU 1", e.Message);
        var warning = Surrogate.CheckFingerprint(other, "the profile b.profile.json", allowMismatch: true);
        Assert.Contains("allowed by --allow-mismatch", warning);
    }

    [Fact]
    public void OtherThreadCountIsOtherHardware()
    {
        var fewer = SyntheticProfiles.Fingerprint() with { Threads = 1 };
        Assert.Throws<InputException>(() => Surrogate.CheckFingerprint(fewer, "this machine", allowMismatch: false));
    }

    [Fact]
    public void SameHardwareOnAnotherDayIsAccepted()
    {
        var later = SyntheticProfiles.Fingerprint() with { Date = DateTimeOffset.UtcNow, ToolVersion = "9.9.9" };
        Assert.Null(Surrogate.CheckFingerprint(later, "the profile c.profile.json", allowMismatch: false));
    }
}
