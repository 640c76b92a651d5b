import ReservoirCLI

await ReservoirCommand.runCommandLine()
