import ReservoirCore

extension ClusterDescription {
    /// Checks every id against the identifier rule, every string and collection against `InputLimits`,
    /// and the number of nodes the description expands to, before anything is expanded or stored.
    public func checkLimits() throws(ReservoirError) {
        try InputLimits.count(regions.count, field: "regions", max: InputLimits.descriptionEntries)
        var nodes = 0
        for (r, region) in regions.enumerated() {
            let rp = "regions[\(r)]"
            try InputLimits.identifier(region.id, field: "\(rp).id")
            if let name = region.name { try InputLimits.name(name, field: "\(rp).name") }
            try InputLimits.count(region.clusters.count, field: "\(rp).clusters", max: InputLimits.descriptionEntries)
            for (c, cluster) in region.clusters.enumerated() {
                let cp = "\(rp).clusters[\(c)]"
                try InputLimits.identifier(cluster.id, field: "\(cp).id")
                try cluster.slurm?.checkLimits(field: "\(cp).slurm")
                try InputLimits.count(cluster.pools.count, field: "\(cp).pools", max: InputLimits.descriptionEntries)
                for (p, pool) in cluster.pools.enumerated() {
                    nodes += try pool.checkLimits(field: "\(cp).pools[\(p)]")
                    guard nodes <= InputLimits.nodes else {
                        throw .invalid("\(cp).pools[\(p)]", "the description expands to more than \(InputLimits.nodes) nodes")
                    }
                }
            }
        }
    }
}

extension ClusterDescription.PoolSpec {
    /// Checks the pool and returns how many nodes it expands to (counts above the limit count as the limit plus one).
    func checkLimits(field: String) throws(ReservoirError) -> Int {
        try InputLimits.identifier(id, field: "\(field).id")
        try InputLimits.labels(labels ?? [:], field: "\(field).labels")
        if let placement { try InputLimits.symbol(placement, field: "\(field).placement") }
        try InputLimits.count((nodes ?? []).count, field: "\(field).nodes", max: InputLimits.descriptionEntries)
        try InputLimits.count((slurmNodes ?? []).count, field: "\(field).slurmNodes", max: InputLimits.descriptionEntries)
        for (i, name) in (slurmNodes ?? []).enumerated() { try InputLimits.symbol(name, field: "\(field).slurmNodes[\(i)]") }
        var total = (slurmNodes ?? []).count
        for (i, node) in (nodes ?? []).enumerated() {
            let np = "\(field).nodes[\(i)]"
            let count = min(max(node.count ?? 1, 1), InputLimits.nodes + 1)
            // The last expanded id (`name-NN`) must be an identifier too.
            try InputLimits.identifier(node.name, field: "\(np).name")
            if count > 1 { try InputLimits.identifier(node.name + "-" + String(repeating: "9", count: max(2, String(count).count)), field: "\(np).name") }
            if let model = node.model { try InputLimits.text(model, field: "\(np).model", maxBytes: InputLimits.symbolBytes) }
            if let rack = node.rack { try InputLimits.symbol(rack, field: "\(np).rack") }
            try InputLimits.labels(node.labels ?? [:], field: "\(np).labels")
            try InputLimits.keyValues((node.taints ?? []).map { ($0.key, $0.value) }, field: "\(np).taints")
            total += count
        }
        return total
    }
}

extension ClusterDescription.SlurmSpec {
    func checkLimits(field: String) throws(ReservoirError) {
        let values: [(String, String?)] = [
            ("envFile", envFile), ("url", url), ("user", user), ("jwtFile", jwtFile), ("jwt", jwt), ("slurmConf", slurmConf),
            ("partitionsFile", partitionsFile), ("cluster", cluster), ("defaultPartition", defaultPartition),
            ("jobsDirectory", jobsDirectory), ("placement", placement),
        ]
        for case let (key, value?) in values { try InputLimits.text(value, field: "\(field).\(key)") }
    }
}
