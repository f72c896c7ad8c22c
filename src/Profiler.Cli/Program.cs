using Profiler.Cli;

return CommandLine.Run(args);
