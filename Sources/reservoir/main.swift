import ArgumentParser
import ReservoirCLI

/// Runs an async root command through `AsyncParsableCommand.main`, never the synchronous overload.
func runAsync<Command: AsyncParsableCommand>(_ command: Command.Type) async {
    await command.main()
}

await runAsync(ReservoirCommand.self)
