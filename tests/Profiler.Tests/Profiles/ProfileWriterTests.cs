using Profiler.Core;
using Profiler.Profiles;

namespace Profiler.Tests.Profiles;

public class ProfileWriterTests
{
    [Fact]
    public void WritesTheComputedHashWhateverTheDocumentSays()
    {
        using var folder = new TempFolder();
        var document = SampleProfiles.Random(21) with { ContentHash = "sha256:" + new string('0', 64) };

        var written = ProfileWriter.Write(folder.File("p.json"), document, force: false);

        Assert.Equal(ProfileHash.Compute(document), written.ContentHash);
        Assert.Equal(written.ContentHash, ProfileReader.Read(folder.File("p.json")).ContentHash);
    }

    [Fact]
    public void CreatesMissingFoldersAndLeavesNoTemporaryFile()
    {
        using var folder = new TempFolder();
        var path = folder.File("cpu", "torch", "tiny.json");

        ProfileWriter.Write(path, SampleProfiles.Random(22), force: false);

        Assert.Equal([path], Directory.GetFiles(folder.Path, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void RefusesAnExistingFileWithoutForce()
    {
        using var folder = new TempFolder();
        var path = folder.File("p.json");
        ProfileWriter.Write(path, SampleProfiles.Random(23), force: false);
        var before = File.ReadAllBytes(path);

        var error = Assert.Throws<InputException>(() => ProfileWriter.Write(path, SampleProfiles.Random(24), force: false));

        Assert.Equal($"{path} exists; use --force to replace it", error.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void ForceReplacesTheFile()
    {
        using var folder = new TempFolder();
        var path = folder.File("p.json");
        ProfileWriter.Write(path, SampleProfiles.Random(25), force: false);

        var second = ProfileWriter.Write(path, SampleProfiles.Random(26), force: true);

        Assert.True(ProfileReader.Read(path).Equals(second), "seeds 25, 26: the forced write did not replace the file");
        Assert.Single(Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void AnInvalidDocumentIsNotWrittenAndTheOldFileStays()
    {
        using var folder = new TempFolder();
        var path = folder.File("p.json");
        var good = SampleProfiles.Random(27);
        ProfileWriter.Write(path, good, force: false);
        var before = File.ReadAllBytes(path);
        var first = good.Cases[0];
        var bad = good with { Cases = [first with { Statistics = first.Statistics with { Median = new Latency(double.NaN) } }, .. good.Cases.Skip(1)] };

        var error = Assert.Throws<ArgumentException>(() => ProfileWriter.Write(path, bad, force: true));

        Assert.StartsWith("profile not written: cases[0].medianUs: NaN is not a latency", error.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void RefusesAFolderAsTheTarget()
    {
        using var folder = new TempFolder();

        var error = Assert.Throws<InputException>(() => ProfileWriter.Write(folder.Path, SampleProfiles.Random(28), force: true));

        Assert.Contains("is a folder", error.Message);
    }
}
