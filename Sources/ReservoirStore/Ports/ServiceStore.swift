import ReservoirCore

/// Reads of inference services: the services, their replicas (jobs tagged with the service), their
/// adjustment history and the capacity requests they made.
public protocol ServiceReader: Sendable {
    /// Services by name, optionally of one tenant.
    func services(tenant: TenantID?) throws -> [InferenceService]
    func service(_ id: ServiceID) throws -> InferenceService?
    /// The service's replica jobs in some states (nil: all), oldest first.
    func replicas(of service: ServiceID, states: Set<JobState>?) throws -> [Job]
    /// Unfinished replica jobs whose service no longer exists (a delete that stopped before cancelling them all).
    func orphanedReplicas() throws -> [Job]
    /// A page of a service's adjustments, oldest first.
    func adjustments(service: ServiceID, page: PageRequest) throws -> Page<ServiceAdjustment>
    /// The service's latest adjustment of any kind.
    func lastAdjustment(service: ServiceID) throws -> ServiceAdjustment?
    /// The service's latest adjustment that changed its replicas (a deploy counts): the autoscaler's
    /// cool-down and window start there.
    func lastReplicaChange(service: ServiceID) throws -> ServiceAdjustment?
    /// A page of capacity requests (tiers 2 and 3), newest first, optionally of one tenant or state.
    func capacityRequests(tenant: TenantID?, state: CapacityRequestState?, page: PageRequest) throws -> Page<ServiceCapacityRequest>
    func capacityRequest(_ id: String) throws -> ServiceCapacityRequest?
}

/// The services context's port. Every change to a service's capacity is one transaction holding the
/// change, its `ServiceAdjustment` record and its audit entry; replica jobs are then submitted or
/// cancelled through the job store, as any job is.
public protocol ServiceStore: ServiceReader, IdempotencyStore {
    /// Stores a new service with its first adjustment (`deployed`); a taken name is a conflict.
    @discardableResult
    func createService(_ service: InferenceService, adjustment: ServiceAdjustment, idempotency: IdempotencyKey?, by who: Attribution) throws -> ServiceAdjustment
    /// Changes a service (its desired replicas) and records the adjustment; `change` may refuse by throwing.
    @discardableResult
    func adjustService(
        _ id: ServiceID, adjustment: ServiceAdjustment, by who: Attribution, change: (inout InferenceService) throws -> Void
    ) throws -> (service: InferenceService, adjustment: ServiceAdjustment)
    /// Deletes a service and records its last adjustment (`deleted`); its history stays.
    func deleteService(_ id: ServiceID, adjustment: ServiceAdjustment, by who: Attribution) throws
    /// Records a tier-2 or tier-3 capacity request with its adjustment. A request that arrives
    /// fulfilled (`nodes` not empty: an automatic reserve move) moves those nodes into its pool in
    /// the same transaction; a node that is not idle in a reserve pool refuses the whole request.
    func recordCapacityRequest(_ request: ServiceCapacityRequest, adjustment: ServiceAdjustment, by who: Attribution) throws -> ServiceCapacityRequest
    /// Fulfils a pending reserve request: moves `nodes` into its pool, records the adjustment.
    func fulfilCapacityRequest(_ id: String, nodes: [NodeID], adjustment: ServiceAdjustment, by who: Attribution) throws -> ServiceCapacityRequest
    /// Closes a pending request with an operator's note.
    func closeCapacityRequest(_ id: String, note: String, by who: Attribution) throws -> ServiceCapacityRequest
}
