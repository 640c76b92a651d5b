import ReservoirCore
import ReservoirServices

/// A node's page: its state, capacity and allocation, labels and taints, a heat map of its GPUs, every
/// device with its allocation, health and utilization, and the jobs running on it (linked), as far as
/// the user may see them — the GPUs other tenants' work holds are counted, not named.
enum NodeModel {
    static func build(_ request: ConsoleRequest) throws -> [String: any Sendable] {
        let reservoir = request.reservoir, principal = request.principal
        let id = try request.parameter("node")
        guard let node = try reservoir.inventory.nodeViews(by: principal).first(where: { $0.id == id }) else {
            throw ReservoirError.notFound("node", "no node \(id)")
        }
        let colour = try CellColour(query: request.query("colour"))
        let work = try DeviceWork.of(request, pool: node.pool, node: id)
        let utilization = try DeviceWork.utilization(request, of: node.devices)
        let devices = node.devices.filter { $0.kind != .cpu }
        let labels = node.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
        let taints = node.taints.map { $0.value.isEmpty ? $0.key : "\($0.key)=\($0.value)" }.joined(separator: ", ")
        let cpu = "\(SVG.figure(Double(node.allocatedCPUMilli) / 1000)) of \(SVG.figure(Double(node.cpuMilli) / 1000))"

        var data: [String: any Sendable] = [
            "title": "Node \(id)", "refresh": 30, "id": id, "pool": node.pool, "state": node.state.rawValue, "model": node.model ?? "–",
            "rack": node.rack ?? "–", "gpus": node.gpus, "allocated": SVG.figure(node.allocatedGPUs, digits: 2), "free": SVG.figure(node.freeGPUs, digits: 2),
            "cpu": cpu,
            "memory": "\(node.allocatedMemoryMiB / 1024) of \(node.memoryMiB / 1024) GiB",
            "map": DeviceCells.map(node, work: work, utilization: utilization, colour: colour).svg(), "legend": DeviceCells.legend(colour).svg(),
            "colour": colour.rawValue, "byUtilization": colour == .utilization,
        ]
        if !labels.isEmpty { data["labels"] = labels }
        if !taints.isEmpty { data["taints"] = taints }
        data["colours"] = CellColour.allCases.map { c -> [String: any Sendable] in
            ["name": c.rawValue, "current": c == colour, "link": "/console/nodes/\(id)?colour=\(c.rawValue)"]
        }
        data["devices"] = devices.map { d -> [String: any Sendable] in
            let island: String = d.nvlinkIsland.map { "\($0)" } ?? "–"
            return [
                "index": d.index, "model": d.model, "memory": "\(d.memoryMiB / 1024) GiB", "island": island,
                "state": d.state.rawValue, "allocation": DeviceCells.allocation(d), "mig": d.mig ? "yes" : "no",
                "utilization": ConsoleFormat.percent(utilization[d.id]),
            ]
        }
        var rows: [[String: any Sendable]] = []
        var shownMilli = 0
        for d in devices {
            for share in work.byDevice[d.id] ?? [] {
                shownMilli += share.milli
                let held: String = share.migStartSlice.map { "MIG instance from slice \($0)" } ?? (share.milli == 1000 ? "whole" : "\(share.milli) thousandths")
                rows.append([
                    "job": share.job, "name": share.name, "tenant": share.tenant, "replica": share.replica, "device": d.index,
                    "share": held,
                ])
            }
        }
        data["work"] = rows
        data["hasWork"] = !rows.isEmpty
        let unnamed = devices.reduce(0) { $0 + $1.allocatedMilli } - shownMilli
        if unnamed > 0 { data["unnamed"] = "\(SVG.figure(Double(unnamed) / 1000, digits: 2)) GPUs here are held by work of other tenants." }
        return data
    }
}
