/// A typed identifier: a `JobID` can never be passed where a `NodeID` is expected,
/// yet both encode as a plain JSON string.
public struct Identifier<Tag>: Hashable, Comparable, Sendable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: String

    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

public enum RegionTag {}
public enum ClusterTag {}
public enum PoolTag {}
public enum NodeTag {}
public enum DeviceTag {}
public enum TenantTag {}
public enum UserTag {}
public enum TokenTag {}
public enum JobTag {}
public enum ServiceTag {}
public enum RequestTag {}
public enum GrantTag {}

public typealias RegionID = Identifier<RegionTag>
public typealias ClusterID = Identifier<ClusterTag>
public typealias PoolID = Identifier<PoolTag>
public typealias NodeID = Identifier<NodeTag>
public typealias DeviceID = Identifier<DeviceTag>
public typealias TenantID = Identifier<TenantTag>
public typealias UserID = Identifier<UserTag>
public typealias TokenID = Identifier<TokenTag>
public typealias JobID = Identifier<JobTag>
/// An inference service: a long-running, autoscaled set of replicas (SPEC §5.8).
public typealias ServiceID = Identifier<ServiceTag>
/// A resource request: a team's structured ask for capacity (SPEC §5.1), from intake to reclamation.
public typealias RequestID = Identifier<RequestTag>
/// A grant: the quota with a time window that an approved request becomes (SPEC §5.5).
public typealias GrantID = Identifier<GrantTag>
