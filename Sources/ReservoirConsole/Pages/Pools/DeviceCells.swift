import ReservoirCore
import ReservoirServices

/// What colours a device's cell in a heat map: how much of it is allocated (fractional shares and MIG
/// instances count by their thousandths) or how busy it was in its last sampled minute.
enum CellColour: String, CaseIterable, Sendable {
    case allocation, utilization

    /// From the `colour` query parameter (allocation when absent); anything else is a 400 naming it.
    init(query: String?) throws {
        guard let query else { self = .allocation; return }
        guard let colour = CellColour(rawValue: query) else {
            throw ReservoirError.invalid("colour", "one of \(CellColour.allCases.map(\.rawValue).joined(separator: ", ")), not \(query)")
        }
        self = colour
    }
}

/// One node's devices as heat-map cells: coloured by allocation or utilization, grey when the device is
/// out of service (failed, maintenance) or, by utilization, has no recent sample; the tooltip tells the
/// device's model, allocation, the work on it (jobs, shares, MIG slices), utilization and health; each cell
/// links to the node's page.
enum DeviceCells {
    static func map(_ node: NodeView, work: DeviceWork, utilization: [String: Double], colour: CellColour) -> HeatMap {
        let devices = node.devices.filter { $0.kind != .cpu }
        let cells = devices.map { cell($0, work: work.byDevice[$0.id] ?? [], utilization: utilization[$0.id], colour: colour) }
        var map = HeatMap(title: "Node \(node.id): \(colour.rawValue) of its \(devices.count) GPUs", cells: cells, columns: min(8, max(1, devices.count)))
        map.showsLegend = false
        return map
    }

    /// The scale shared by every map of a page (a map without cells is its legend alone).
    static func legend(_ colour: CellColour) -> HeatMap {
        HeatMap(title: "Scale: colour of a cell from 0 % to 100 % \(colour.rawValue)", cells: [])
    }

    static func cell(_ device: DeviceView, work: [DeviceWork.Share], utilization: Double?, colour: CellColour) -> HeatMap.Cell {
        let outOfService = device.state == .failed || device.state == .maintenance
        let value: Double? = switch colour {
        case .allocation: outOfService ? nil : min(1, Double(device.allocatedMilli) / 1000)
        case .utilization: outOfService ? nil : utilization.map { $0 / 100 }
        }
        return HeatMap.Cell(label: "\(device.index)", value: value, note: note(device, work: work, utilization: utilization), link: "/console/nodes/\(device.node)")
    }

    /// The device in words, for its tooltip and the node page's table.
    static func note(_ device: DeviceView, work: [DeviceWork.Share], utilization: Double?) -> String {
        var parts = ["GPU \(device.index) of \(device.node)", device.model, device.state.rawValue]
        parts.append(allocation(device))
        if device.mig { parts.append("MIG mode") }
        if !work.isEmpty { parts.append(work.map(describe).joined(separator: "; ")) }
        parts.append(utilization.map { "utilization \(ConsoleFormat.percent($0))" } ?? "no utilization sample in the last 15 min")
        return parts.joined(separator: " · ")
    }

    /// `4/8 of it allocated`-style text: whole, a share in thousandths, or free.
    static func allocation(_ device: DeviceView) -> String {
        switch device.allocatedMilli {
        case 0: "free"
        case 1000...: "allocated whole"
        default: "\(device.allocatedMilli) of 1000 thousandths allocated"
        }
    }

    static func describe(_ share: DeviceWork.Share) -> String {
        var text = "job \(share.job) (\(share.tenant)) replica \(share.replica)"
        if let slice = share.migStartSlice {
            text += ", MIG instance from slice \(slice)"
        } else if share.milli < 1000 {
            text += ", \(share.milli) thousandths"
        }
        return text
    }
}
