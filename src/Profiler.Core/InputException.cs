namespace Profiler.Core;

/// <summary>
/// Bad input from the user: a malformed file, an unknown name, a missing provider. The command line turns it into
/// exit code 2 and its one-line message; it never shows a stack trace.
/// </summary>
public sealed class InputException : Exception
{
    /// <summary>Creates the exception with its one-line message.</summary>
    public InputException(string message) : base(message) { }

    /// <summary>Creates the exception with its one-line message and the error behind it.</summary>
    public InputException(string message, Exception inner) : base(message, inner) { }
}
