import ReservoirCLI

await ReservoirCommand.main()
