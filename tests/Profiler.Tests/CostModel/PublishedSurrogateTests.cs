using Profiler.CostModel.Surrogate;

namespace Profiler.Tests.CostModel;

public class PublishedSurrogateTests
{
    private static string ProfilesFolder()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Profiler.sln"))) dir = dir.Parent;
        Assert.NotNull(dir);
        return Path.Combine(dir!.FullName, "profiles");
    }

    [Fact]
    public void EveryPublishedSurrogateStillReadsWithItsHash()
    {
        // A change to the surrogate's types must not turn the published files into "edited or damaged" ones.
        var files = Directory.GetFiles(ProfilesFolder(), "*.surrogate.json");
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var document = SurrogateFile.Read(file);
            Assert.NotEmpty(document.Models);
        }
    }
}
