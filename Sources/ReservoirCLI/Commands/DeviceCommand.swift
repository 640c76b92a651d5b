import ArgumentParser
import Foundation
import ReservoirCore
import ReservoirServices

/// One device: its health history, or an operator's state change (maintenance, failed, available).
struct DeviceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "device", abstract: "Show a device's health history, or set its state.", subcommands: [Health.self, SetState.self])

    struct Health: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A device's health history, newest first (why it failed, who returned it).")
        @OptionGroup var client: ClientOptions
        @Argument(help: "The device, <node>/gpu<index>.") var id: String
        @Option(help: "At most this many events.") var limit: Int?
        func run() async throws {
            let path = "/v1/devices/\(DeviceCommand.pathSegment(id))/health"
            try Output.rows(try await client.client.list(path, limit: limit), json: client.json, columns: [
                Column<DeviceHealthEvent>.time("at", \.at), Column("from") { $0.from.rawValue }, Column("to") { $0.to.rawValue },
                Column("cause") { $0.cause.rawValue }, Column("actor") { $0.actor }, Column("detail") { $0.detail },
            ])
        }
    }

    struct SetState: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-state",
            abstract: "Set a device's state: maintenance, failed or available. Work on a device leaving service is requeued (or failed, per the health policy).")
        @OptionGroup var client: ClientOptions
        @Argument(help: "The device, <node>/gpu<index>.") var id: String
        @Argument var state: String
        func run() async throws {
            guard let slash = id.range(of: "/gpu", options: .backwards), let index = Int(id[slash.upperBound...]) else {
                throw ValidationError("a device id is <node>/gpu<index>, e.g. a100-0/gpu3")
            }
            let node = String(id[..<slash.lowerBound])
            try Output.row(try await client.client.json(.PATCH, "/v1/nodes/\(node)/devices/\(index)", ["state": state]), json: client.json, columns: [
                Column<NodeView>("node", \.id), Column("device") { _ in id }, Column("state") { view in view.devices.first { $0.index == index }?.state.rawValue ?? "?" },
            ])
        }
    }

    /// A device id as one path segment (its `/` escaped).
    static func pathSegment(_ id: String) -> String {
        id.addingPercentEncoding(withAllowedCharacters: CharacterSet.urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? id
    }
}
