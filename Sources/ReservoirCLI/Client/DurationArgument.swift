import ArgumentParser

/// A span written the way people write it: `90s`, `45m`, `12h`, `30d`, `2w`.
struct DurationArgument: ExpressibleByArgument {
    let seconds: Double

    init?(argument: String) {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800]
        guard let unit = argument.last.flatMap({ units[$0] }), let count = Double(argument.dropLast()), count.isFinite, count > 0 else { return nil }
        seconds = count * unit
    }

    static var defaultCompletionKind: CompletionKind { .default }
}
