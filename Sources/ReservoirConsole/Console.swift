import Hummingbird
import ReservoirCore
import ReservoirServices

/// The web console: server-rendered pages over the same use cases and access policy as the API, mounted on
/// the API's router (`ReservoirServer.router`). The routes: `/` (303 to the overview or the sign-in),
/// `/sign-in`, `/sign-out`, `/console/assets/…`, and every page of `ConsolePages.groups`.
/// See docs/decisions/0008-web-console.md for why it is built this way.
public struct Console: Sendable {
    let reservoir: Reservoir
    let renderer: ConsoleRenderer

    public init(reservoir: Reservoir) {
        self.reservoir = reservoir
        self.renderer = ConsoleRenderer(
            groups: ConsolePages.groups, policy: reservoir.runtime.access,
            extraTemplates: ["sign-in": SignInRoutes.template])
    }

    /// Adds the console's routes to `router`. They answer HTML on their own (status pages included), so the
    /// router's JSON error middleware never sees a console error.
    public func mount<Context: RequestContext>(on router: Router<Context>) {
        ConsoleAssets.register(on: router)
        SignInRoutes(reservoir: reservoir, renderer: renderer).register(on: router)
        let routes = ConsoleRoutes(
            add: { method, path, handler in
                router.on(RouterPath(path), method: method) { request, context in await handler(request, context.parameters) }
            },
            reservoir: reservoir, renderer: renderer)
        for group in ConsolePages.groups { group.register(on: routes) }
        // Any other console path: the 404 page (HTML, in the layout), not the API's JSON.
        let reservoir = reservoir, renderer = renderer
        router.get("/console/**") { request, _ in
            await ConsoleRoutes.answer(request, reservoir: reservoir, renderer: renderer) { _ in
                throw ReservoirError.notFound("path", "there is no console page at \(request.uri.path)")
            }
        }
    }
}
