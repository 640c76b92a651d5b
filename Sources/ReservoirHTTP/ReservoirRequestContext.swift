import Hummingbird
import ReservoirServices

/// Per-request data: the authenticated caller travels here, never in globals.
public struct ReservoirRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `AuthMiddleware` for every `/v1` route.
    public var principal: Principal?

    public init(source: Source) {
        coreContext = .init(source: source)
        principal = nil
    }

    /// 1 MiB bodies at most: jobs and configs are small.
    public var maxUploadSize: Int { 1 << 20 }
}
