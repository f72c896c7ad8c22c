namespace Profiler.Tasks.Data;

/// <summary>Which part of the data set a sample belongs to. Each split draws from its own seed stream.</summary>
public enum Split
{
    /// <summary>Training questions.</summary>
    Train = 1,
    /// <summary>Questions for choosing checkpoints during training.</summary>
    Validation = 2,
    /// <summary>Questions for reported accuracies.</summary>
    Test = 3,
}
