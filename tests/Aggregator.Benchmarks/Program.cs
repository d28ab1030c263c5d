using BenchmarkDotNet.Running;

// Every benchmark class in this assembly is found by the switcher; pass --filter to pick some.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
