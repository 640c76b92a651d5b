import ReservoirCore
import ReservoirEngine

extension ServicesContext {
    /// The traffic each running replica is offered at `at`: its service's simulated rate split
    /// evenly over the service's running replicas, with the replica's capacity. The telemetry
    /// sampler hands it to engines that model utilization (the simulator). Services without a
    /// traffic profile are left out; a failed read gives no load (logged), never a failed sample.
    public func offeredLoad(at: Double) -> [JobID: OfferedLoad] {
        do {
            var load: [JobID: OfferedLoad] = [:]
            for service in try store.services(tenant: nil) {
                guard let traffic = service.traffic else { continue }
                let running = try store.replicas(of: service.id, states: [.running])
                let share = ServiceLoad.perReplicaQPS(traffic.qps(at: at), replicas: running.count)
                for replica in running { load[replica.id] = OfferedLoad(qps: share, capacityQPS: service.capacityQPS) }
            }
            return load
        } catch {
            logger.error("could not read the services' offered load", metadata: ["error": "\(error)"])
            return [:]
        }
    }
}
