import Hummingbird
import ReservoirCore
import ReservoirServices

/// Regions, clusters, pools, nodes, devices, the catalog, and inventory import.
struct InventoryController {
    let reservoir: Reservoir

    var routes: [APIRoute] {
        [
            APIRoute(.get, "/v1/regions", "List regions by id", action: .readInventory,
                answers: .page(of: Components.region)
            ) { r, _, p in
                let page = try r.page()
                return try Coding.page(Page(sorted: try reservoir.inventory.inventory(by: p).regions, by: { [$0.id.rawValue] }, for: page), for: r, page)
            },
            APIRoute(.get, "/v1/clusters", "List clusters by id", action: .readInventory,
                answers: .page(of: Components.cluster)
            ) { r, _, p in
                let page = try r.page()
                return try Coding.page(Page(sorted: try reservoir.inventory.inventory(by: p).clusters, by: { [$0.id.rawValue] }, for: page), for: r, page)
            },
            APIRoute(.get, "/v1/pools", "List pools with capacity and allocation, by id", action: .readInventory,
                answers: .page(of: Components.poolView)
            ) { r, _, p in
                let page = try r.page()
                return try Coding.page(try reservoir.inventory.poolViews(page: page, by: p), for: r, page)
            },
            APIRoute(.get, "/v1/pools/{id}", "Show one pool", action: .readInventory,
                answers: .ok(Components.poolView)
            ) { _, c, p in
                let id = try c.parameter("id")
                guard let pool = try reservoir.inventory.poolViews(by: p).first(where: { $0.id == id }) else { throw ReservoirError.notFound("id", "no pool \(id)") }
                return try Coding.json(pool)
            },
            APIRoute(.get, "/v1/nodes", "List nodes by id (filter: pool, state)", action: .readInventory,
                query: [.id("pool", "Only nodes of this pool"), QueryParameter("state", .cases(NodeState.self), "Only nodes in this state")], answers: .page(of: Components.nodeView)
            ) { r, _, p in
                let page = try r.page()
                let state = try r.query("state", oneOf: NodeState.self)
                return try Coding.page(try reservoir.inventory.nodeViews(pool: r.query("pool").map { PoolID($0) }, state: state, page: page, by: p), for: r, page)
            },
            APIRoute(.get, "/v1/nodes/{id}", "Show one node with its devices", action: .readInventory,
                answers: .ok(Components.nodeView)
            ) { _, c, p in
                let id = try c.parameter("id")
                guard let node = try reservoir.inventory.nodeViews(by: p).first(where: { $0.id == id }) else { throw ReservoirError.notFound("id", "no node \(id)") }
                return try Coding.json(node)
            },
            APIRoute(.patch, "/v1/nodes/{id}", "Cordon, uncordon or mark a node down", action: .changeInventory,
                body: .decoded(Components.nodeStateChange), answers: .ok(Components.nodeView), errors: [.forbidden]
            ) { r, c, p in
                let change = try await Coding.decode(NodeStateChange.self, from: r, context: c)
                _ = try reservoir.inventory.setNodeState(NodeID(try c.parameter("id")), state: change.state, by: p)
                return try Coding.json(try reservoir.inventory.nodeViews(by: p).first { $0.id == (try? c.parameter("id")) })
            },
            APIRoute(.get, "/v1/devices", "List devices by node and index (filter: pool, node, model, state)", action: .readInventory,
                query: [.id("pool", "Only devices of this pool"), .id("node", "Only devices of this node"), QueryParameter("model", .string(), "Only devices of this catalog model"), QueryParameter("state", .cases(DeviceState.self), "Only devices in this state")], answers: .page(of: Components.deviceView)
            ) { r, _, p in
                let page = try r.page()
                let state = try r.query("state", oneOf: DeviceState.self)
                let devices = try reservoir.inventory.deviceViews(pool: r.query("pool"), node: r.query("node"), model: r.query("model"), state: state, page: page, by: p)
                return try Coding.page(devices, for: r, page)
            },
            APIRoute(.patch, "/v1/nodes/{id}/devices/{index}", "Set a device's state (maintenance, failed, available); work on a device leaving service is requeued or failed per the health policy", action: .changeInventory,
                body: .decoded(Components.deviceStateChange), answers: .ok(Components.nodeView), errors: [.forbidden]
            ) { r, c, p in
                let change = try await Coding.decode(DeviceStateChange.self, from: r, context: c)
                guard let index = Int(try c.parameter("index")) else { throw ReservoirError.invalid("index", "must be an integer") }
                let node = NodeID(try c.parameter("id"))
                _ = try await reservoir.health.setDeviceState(Device.id(node: node, index: index), state: change.state, by: p)
                return try Coding.json(try reservoir.inventory.nodeViews(by: p).first { $0.id == node.rawValue })
            },
            APIRoute(.get, "/v1/catalog", "The device catalog, in its own order", action: .readInventory,
                answers: .page(of: Components.gpuModel)
            ) { r, _, p in
                let page = try r.page()
                return try Coding.page(try Page(listed: try reservoir.inventory.catalog(by: p).models, id: \.name, for: page), for: r, page)
            },
            APIRoute(.put, "/v1/catalog/{name}", "Add or edit a catalog model; a new pricePerHour is stored as a price version effective now (GET /v1/prices), so usage before keeps its price", action: .changeInventory,
                body: .decoded(Components.gpuModel), answers: .ok(Components.gpuModel), errors: [.forbidden]
            ) { r, c, p in
                var model = try await Coding.decode(GPUModel.self, from: r, context: c)
                model.name = try c.parameter("name")
                return try Coding.json(try reservoir.inventory.upsertCatalogModel(model, by: p))
            },
            APIRoute(.post, "/v1/import", "Import a YAML cluster description (or openb CSV with ?format=openb&pool=&cluster=&region=)", action: .changeInventory,
                body: .clusterImport, query: [QueryParameter("format", .cases(["openb"]), "openb: the body is an openb node list (CSV)"), .id("pool", "openb: the pool the nodes go to (default openb)"), .id("cluster", "openb: their cluster (default openb-sim)"), .id("region", "openb: their region (default openb)")], answers: .created(Components.importSummary), errors: [.forbidden]
            ) { r, c, p in
                let text = try await Coding.body(of: r, limit: 8 << 20)
                let inventory: Inventory
                if r.query("format") == "openb" {
                    inventory = try reservoir.inventory.importOpenb(
                        csv: text, pool: PoolID(r.query("pool") ?? "openb"), cluster: ClusterID(r.query("cluster") ?? "openb-sim"),
                        region: RegionID(r.query("region") ?? "openb"), by: p)
                } else {
                    inventory = try reservoir.inventory.importDescription(yaml: text, by: p)
                }
                return try Coding.json(ImportSummary(regions: inventory.regions.count, clusters: inventory.clusters.count, pools: inventory.pools.count, nodes: inventory.nodes.count, devices: inventory.nodes.reduce(0) { $0 + $1.devices.count }), status: .created)
            },
        ]
    }
}

struct NodeStateChange: Codable { var state: NodeState }
struct DeviceStateChange: Codable { var state: DeviceState }
