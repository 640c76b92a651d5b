import Foundation
import ReservoirCore
import ReservoirServices

/// A pool's page: its figures, its water level by model, and a heat map of every GPU, one map per node
/// (nodes by id, `nodesPerPage` at a time with the inventory's cursor), coloured by allocation or by
/// utilization (`colour`), with one scale for the page.
enum PoolModel {
    static let nodesPerPage = 12

    static func build(_ request: ConsoleRequest) throws -> [String: any Sendable] {
        let reservoir = request.reservoir, principal = request.principal
        let id = try request.parameter("pool")
        guard let pool = try reservoir.inventory.poolViews(by: principal).first(where: { $0.id == id }) else {
            throw ReservoirError.notFound("pool", "no pool \(id)")
        }
        let colour = try CellColour(query: request.query("colour"))
        let page = PageRequest(limit: nodesPerPage, cursor: try request.query("cursor").map { try Cursor(parsing: $0) })
        let nodes = try reservoir.inventory.nodeViews(pool: PoolID(id), state: nil, page: page, by: principal)
        let work = try DeviceWork.of(request, pool: id)
        let utilization = try DeviceWork.utilization(request, of: nodes.items.flatMap(\.devices))
        let water = try reservoir.feasibility.waterLevel(by: principal)

        var data: [String: any Sendable] = [
            "title": "Pool \(id)", "refresh": 30, "id": id, "region": pool.region, "cluster": pool.cluster, "purpose": pool.purpose.rawValue,
            "sharing": pool.sharing.rawValue, "reservedPercent": SVG.figure(pool.reservedFraction * 100), "nodeCount": pool.nodes, "gpus": pool.gpus,
            "allocated": SVG.figure(pool.allocatedGPUs, digits: 2), "running": pool.runningJobs, "waiting": pool.waitingJobs,
            "colour": colour.rawValue, "byUtilization": colour == .utilization, "legend": DeviceCells.legend(colour).svg(),
        ]
        data["levels"] = water.levels.filter { $0.pool.rawValue == id }.sorted { $0.model < $1.model }.map { level -> [String: any Sendable] in
            let sum = PoolLevels.Level(total: level.total, allocated: level.allocated, reserved: level.reserved, free: level.free, queued: level.queued)
            return [
                "model": level.model, "total": level.total, "allocated": level.allocated, "reserved": level.reserved, "free": level.free,
                "queued": level.queued, "bar": PoolLevels.bar("\(id) \(level.model)", sum),
            ]
        }
        data["colours"] = CellColour.allCases.map { c -> [String: any Sendable] in
            ["name": c.rawValue, "current": c == colour, "link": "/console/pools/\(id)?colour=\(c.rawValue)"]
        }
        data["nodes"] = nodes.items.map { node -> [String: any Sendable] in
            [
                "id": node.id, "state": node.state.rawValue, "model": node.model ?? "–",
                "summary": "\(SVG.figure(node.allocatedGPUs, digits: 2)) of \(node.gpus) GPUs allocated, \(SVG.figure(node.freeGPUs, digits: 2)) free",
                "map": DeviceCells.map(node, work: work, utilization: utilization, colour: colour).svg(),
            ]
        }
        data["hasNodes"] = !nodes.items.isEmpty
        let keep = colour == .allocation ? "" : "colour=\(colour.rawValue)&"
        data["next"] = nodes.next.map { "/console/pools/\(id)?\(keep)cursor=\($0)" }
        if page.cursor != nil { data["first"] = "/console/pools/\(id)" + (keep.isEmpty ? "" : "?" + String(keep.dropLast())) }
        return data
    }
}
