/// Everything the planners know about the reservoir, computed from live state by the caller (the
/// services layer reads inventory, allocations, the price catalog and supplier terms); the planners hold
/// no constants of their own. Times are hours from "now"; money is in the catalog's billing currency.
public struct ReservoirSnapshotForPlanning: Hashable, Sendable, Codable {
    public var regions: [RegionInventory]
    /// List price per GPU-hour by canonical model name (`GPUCatalog.pricePerHour`).
    public var pricePerGPUHour: [String: Double]
    /// How fast and at what price more of each model can be bought or rented.
    public var supply: [String: SupplyTerms]
    /// Spot and partner capacity on offer now.
    public var offers: [CapacityOffer]
    /// Hours to make free GPUs of another region usable here (data staging, network set-up).
    public var crossRegionDelayHours: Double
    /// Grace given to preempted jobs to checkpoint before their GPUs are handed over.
    public var preemptionGraceHours: Double

    public init(regions: [RegionInventory], pricePerGPUHour: [String: Double], supply: [String: SupplyTerms],
                offers: [CapacityOffer] = [], crossRegionDelayHours: Double = 2, preemptionGraceHours: Double = 0.5) {
        self.regions = regions
        self.pricePerGPUHour = pricePerGPUHour
        self.supply = supply
        self.offers = offers
        self.crossRegionDelayHours = crossRegionDelayHours
        self.preemptionGraceHours = preemptionGraceHours
    }

    func inventory(region: String, model: String) -> ModelInventory? {
        regions.first { $0.name == region }?.models.first { $0.model == model }
    }
}

/// One region's GPUs by model.
public struct RegionInventory: Hashable, Sendable, Codable {
    public var name: String
    public var models: [ModelInventory]

    public init(name: String, models: [ModelInventory]) {
        self.name = name
        self.models = models
    }
}

/// Totals of one model in one region, and who holds the allocated part.
public struct ModelInventory: Hashable, Sendable, Codable {
    public var model: String
    public var total: Int
    public var allocated: Int
    /// Allocated GPUs per priority class; `preemptible` of them may be taken back.
    public var byClass: [ClassAllocation]

    public var free: Int { max(0, total - allocated) }

    public init(model: String, total: Int, allocated: Int, byClass: [ClassAllocation] = []) {
        self.model = model
        self.total = total
        self.allocated = allocated
        self.byClass = byClass
    }
}

/// GPUs held by one priority class.
public struct ClassAllocation: Hashable, Sendable, Codable {
    public var priorityClass: String
    /// Higher rank wins; a request may only preempt classes of strictly lower rank.
    public var rank: Int
    public var allocated: Int
    public var preemptible: Int
    /// Mean remaining run time of the class's jobs, used to count preempted GPU-hours.
    public var meanRemainingHours: Double

    public init(priorityClass: String, rank: Int, allocated: Int, preemptible: Int, meanRemainingHours: Double) {
        self.priorityClass = priorityClass
        self.rank = rank
        self.allocated = allocated
        self.preemptible = preemptible
        self.meanRemainingHours = meanRemainingHours
    }
}

/// Supplier terms for one model: procurement (owned) and rental (reserved cloud) capacity.
public struct SupplyTerms: Hashable, Sendable, Codable {
    public var purchaseLeadHours: Double
    /// Capital cost per GPU bought.
    public var purchasePricePerGPU: Double
    public var rentLeadHours: Double
    public var rentPricePerGPUHour: Double

    public init(purchaseLeadHours: Double, purchasePricePerGPU: Double, rentLeadHours: Double, rentPricePerGPUHour: Double) {
        self.purchaseLeadHours = purchaseLeadHours
        self.purchasePricePerGPU = purchasePricePerGPU
        self.rentLeadHours = rentLeadHours
        self.rentPricePerGPUHour = rentPricePerGPUHour
    }
}

/// Capacity outside the reservoir that can be used at once or soon.
public struct CapacityOffer: Hashable, Sendable, Codable {
    public enum Source: String, Hashable, Sendable, Codable { case spot, partner }
    public var source: Source
    public var provider: String
    public var model: String
    public var gpus: Int
    public var availableAfterHours: Double
    public var pricePerGPUHour: Double

    public init(source: Source, provider: String, model: String, gpus: Int, availableAfterHours: Double, pricePerGPUHour: Double) {
        self.source = source
        self.provider = provider
        self.model = model
        self.gpus = gpus
        self.availableAfterHours = availableAfterHours
        self.pricePerGPUHour = pricePerGPUHour
    }
}
