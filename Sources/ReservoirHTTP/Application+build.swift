import Foundation
import Hummingbird
import Logging
import ReservoirConsole
import ReservoirCore
import ReservoirServices
import ServiceLifecycle

/// The HTTP shell over `Reservoir`: `/v1` API, `/openapi.json`, `/healthz`, `/readyz`, `/metrics`, and the web console (`/`, `/sign-in`, `/console/…`).
public enum ReservoirServer {
    public static let version = "0.1.0"

    /// Every `/v1` route, in one list: the router and the OpenAPI document are built from it.
    static func apiRoutes(_ reservoir: Reservoir) -> [APIRoute] {
        InventoryController(reservoir: reservoir).routes + TenancyController(reservoir: reservoir).routes
            + MeteringController(reservoir: reservoir).routes
            + JobsController(reservoir: reservoir).routes + PlanningController(reservoir: reservoir).routes + BusinessEventsController(reservoir: reservoir).routes
            + ProfilesController(reservoir: reservoir).routes
            + TelemetryController(reservoir: reservoir).routes
            + HealthController(reservoir: reservoir).routes
            + ServicesController(reservoir: reservoir).routes + NotificationsController(reservoir: reservoir).routes
            + EstimatesController(reservoir: reservoir).routes + FeasibilityController(reservoir: reservoir).routes
            + RequestsController(reservoir: reservoir).routes + RequestReviewsController(reservoir: reservoir).routes
            + GrantsController(reservoir: reservoir).routes + LeaseExtensionsController(reservoir: reservoir).routes + EmergenciesController(reservoir: reservoir).routes
            + IdleReclamationController(reservoir: reservoir).routes
            + ReclamationsController(reservoir: reservoir).routes
            + AlertsController(reservoir: reservoir).routes
            + ReportsController(reservoir: reservoir).routes
            + PricesController(reservoir: reservoir).routes + BillingController(reservoir: reservoir).routes
    }

    /// Method, path and access-policy action of every documented route (for tests and the CLI).
    public static func documentedRoutes(_ reservoir: Reservoir) -> [(method: String, path: String, action: Action)] {
        apiRoutes(reservoir).map { ($0.method.rawValue, $0.path, $0.action) }
    }

    public static func router(_ reservoir: Reservoir) -> Router<ReservoirRequestContext> {
        let router = Router(context: ReservoirRequestContext.self)
        let routes = apiRoutes(reservoir)
        router.add(middleware: ErrorMiddleware(routes: routes.map { (method: $0.method, path: $0.path) }))
        router.add(middleware: AuthMiddleware(reservoir: reservoir))
        for route in routes {
            let handler = route.handler
            router.on(RouterPath(route.path), method: route.method) { request, context in
                try await handler(request, context, try APIRoute.principal(context))
            }
        }
        let document = OpenAPIDocument.make(routes: routes, version: version)
        let openAPI = (try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .prettyPrinted])) ?? Data()
        router.get("/openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: openAPI)))
        }
        router.get("/healthz") { _, _ in Coding.text("ok\n", contentType: "text/plain") }
        router.get("/readyz") { _, _ in
            do {
                _ = try reservoir.store.tenants()
                return Coding.text("ready\n", contentType: "text/plain")
            } catch {
                return Coding.text("store unavailable\n", contentType: "text/plain", status: .serviceUnavailable)
            }
        }
        Console(reservoir: reservoir).mount(on: router)
        router.get("/metrics") { _, _ in
            // A store that cannot answer must not cost the scrape the scheduler's gauges.
            do { try reservoir.scrapeGauges.publish() } catch { reservoir.logger.warning("scrape gauges failed", metadata: ["error": "\(error)"]) }
            do { try reservoir.metering.publishMetrics() } catch { reservoir.logger.warning("usage metrics failed", metadata: ["error": "\(error)"]) }
            return Coding.text(Observability.registry.emitToString(), contentType: "text/plain; version=0.0.4")
        }
        return router
    }

    /// The application: the router over `reservoir`, and the `services` it runs beside the HTTP server
    /// (which ones is the composition root's choice, `ReservoirComposition`).
    public static func application(
        _ reservoir: Reservoir, host: String, port: Int, services: [any Service],
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        _ = Observability.registry
        return Application(
            router: router(reservoir),
            configuration: .init(address: .hostname(host, port: port), serverName: "reservoir"),
            services: services,
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
            logger: reservoir.logger)
    }
}
