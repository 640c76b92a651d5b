import ArgumentParser

/// `reservoir plan …`: capacity plans and what-if scenarios.
struct Plan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Plan capacity and answer what-if questions.",
        subcommands: [PlanCapacity.self, PlanWhatIf.self]
    )
}
