namespace Profiler.Tasks.Data;

/// <summary>One question about one scene, with its answer id.</summary>
public sealed record Sample(Scene Scene, Question Question, int Answer);
