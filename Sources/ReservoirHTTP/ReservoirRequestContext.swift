import Hummingbird
import NIOCore
import ReservoirServices

/// Per-request data: the authenticated caller travels here, never in globals.
public struct ReservoirRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `AuthMiddleware` for every `/v1` route.
    public var principal: Principal?
    /// The peer's address: the console counts failed sign-ins per client address (`SignInThrottle`).
    public let remoteAddress: SocketAddress?

    public init(source: Source) {
        coreContext = .init(source: source)
        principal = nil
        remoteAddress = source.channel.remoteAddress
    }

    /// 1 MiB bodies at most: jobs and configs are small.
    public var maxUploadSize: Int { 1 << 20 }
}
