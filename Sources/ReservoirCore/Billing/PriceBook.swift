/// The price versions of every model, answering "what did an hour of this model cost at that instant".
/// A version applies from its `effectiveFrom` until the next version of the same model; before a model's
/// first version it has no price.
public struct PriceBook: Hashable, Sendable {
    private let versions: [String: [PriceVersion]]

    public init(_ versions: [PriceVersion]) {
        self.versions = Dictionary(grouping: versions, by: \.model).mapValues { $0.sorted { $0.effectiveFrom < $1.effectiveFrom } }
    }

    /// Every version, by model then effective date.
    public var all: [PriceVersion] { versions.keys.sorted().flatMap { versions[$0] ?? [] } }

    /// The version of `model` in force at `instant`; nil before its first version.
    public func version(of model: String, at instant: Double) -> PriceVersion? {
        versions[model]?.last { $0.effectiveFrom <= instant }
    }

    /// `[from, until)` cut where a new version of `model` takes effect, each piece with the version in
    /// force over it (nil before the first). Empty when `until <= from`.
    public func pieces(of model: String, from: Double, until: Double) -> [PricedSpan] {
        guard until > from else { return [] }
        var cuts = [from]
        for version in versions[model] ?? [] where version.effectiveFrom > from && version.effectiveFrom < until {
            cuts.append(version.effectiveFrom)
        }
        cuts.append(until)
        return zip(cuts, cuts.dropFirst()).map { PricedSpan(from: $0, until: $1, version: version(of: model, at: $0)) }
    }
}

/// A stretch of time over which one price version of a model applies.
public struct PricedSpan: Hashable, Sendable {
    public var from: Double
    public var until: Double
    public var version: PriceVersion?
}
