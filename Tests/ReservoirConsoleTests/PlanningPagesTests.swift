import Foundation
import ReservoirCore
import ReservoirServices
import Testing

/// `/console/planning`: the forecast's fast path (here: too little history, said in words), the business
/// events, the capacity plan only on its button, the what-ifs with their answers or their errors next to
/// the field; members may not plan (403).
@Suite struct PlanningPagesTests {
    @Test func theFastPathSaysWhyThereIsNoForecastAndListsTheEvents() async throws {
        try await ConsoleServer.withFixture { port, tokens, reservoir in
            let admin = try reservoir.access.authenticate(bearer: tokens.operator)
            let now = reservoir.now()
            _ = try reservoir.planning.registerEvent(BusinessEventInput(name: "Spring <launch>", kind: .modelLaunch, start: now + 86_400, end: now + 3 * 86_400, uplift: 0.5), by: admin)
            let user = try await ConsoleBrowser.signedIn(port: port, token: tokens.operator)
            let page = try await user.get("/console/planning")
            #expect(page.status == 200 && page.pageID == "planning")
            #expect(page.html.contains("Demand forecast of the whole reservoir"))
            #expect(page.html.contains("not enough history to forecast the reservoir"), "a fixture without job history")
            #expect(page.html.contains(#"<tr><th scope="row">Spring &lt;launch&gt;</th><td>model launch</td>"#))
            #expect(page.html.contains("+50 %"))
            #expect(!page.html.contains(#"<table id="capacity-plan">"#), "the full plan runs only on its button")
            #expect(page.html.contains(#"<option value="A100-80GB">A100-80GB</option>"#) && page.html.contains(#"<option value="p1">p1</option>"#))
            let pool = try await user.get("/console/planning?pool=p1&model=A100-80GB")
            #expect(pool.html.contains("Demand forecast of pool p1, A100-80GB") && pool.html.contains(#"<option value="p1" selected>p1</option>"#))
        }
    }

    @Test func aWhatIfRequestIsAnsweredOnThePage() async throws {
        try await ConsoleServer.withFixture { port, tokens, _ in
            let user = try await ConsoleBrowser.signedIn(port: port, token: tokens.operator)
            let page = try await user.get("/console/planning?whatif=request&requestModel=A100-80GB&region=r1&gpus=2&priority=P1&durationHours=")
            #expect(page.status == 200)
            #expect(page.html.contains(#"<table id="fulfilment">"#) && page.html.contains("2 × A100-80GB in r1: covered"))
            #expect(page.html.contains("free capacity"))
        }
    }

    @Test func whatIfAndPlanErrorsAreShownNextToTheirFields() async throws {
        try await ConsoleServer.withFixture { port, tokens, _ in
            let user = try await ConsoleBrowser.signedIn(port: port, token: tokens.operator)
            let surge = try await user.get("/console/planning?whatif=surge&surgeModel=A100-80GB&factor=500&fromHour=0&hours=24")
            #expect(surge.status == 400)
            #expect(surge.fieldError("factor") != nil)
            #expect(surge.html.contains(#"<input id="factor" name="factor" type="text" value="500" aria-invalid="true""#), "the value typed stays")
            #expect(surge.fieldError("gpus") == nil, "only the surge form shows it")

            let request = try await user.get("/console/planning?whatif=request&requestModel=A100-80GB&region=r1&gpus=")
            #expect(request.status == 400 && request.fieldError("gpus") == "is required")
            let unknown = try await user.get("/console/planning?whatif=request&requestModel=Z9&region=r1&gpus=abc")
            #expect(unknown.fieldError("gpus") == "must be a whole number, not &quot;abc&quot;")

            let plan = try await user.get("/console/planning?plan=run&threshold=0.9&buffer=")
            #expect(plan.status == 400 && plan.fieldError("threshold") == "must be between 0.6 and 0.8")
            let noHistory = try await user.get("/console/planning?plan=run&threshold=0.7&buffer=0.1")
            #expect(noHistory.status == 409 && noHistory.html.contains(#"<p class="form-error" role="alert">no model could be planned"#))
        }
    }

    @Test func recordingThePlanNeedsTheFormsTokenAndSaysWhyItCannot() async throws {
        try await ConsoleServer.withFixture { port, tokens, _ in
            let user = try await ConsoleBrowser.signedIn(port: port, token: tokens.operator)
            #expect(try await user.post("/console/planning/plans", []).status == 403, "no CSRF token")
            let csrf = try #require(try await user.get("/console/planning").csrf)
            let refused = try await user.post("/console/planning/plans", [("csrf", csrf)])
            #expect(refused.status == 409 && refused.html.contains("no model could be planned"), "a fixture without job history")
        }
    }

    @Test func membersMayNotOpenPlanning() async throws {
        try await ConsoleServer.withFixture { port, tokens, _ in
            let alice = try await ConsoleBrowser.signedIn(port: port, token: tokens.alice)
            let page = try await alice.get("/console/planning")
            #expect(page.status == 403 && page.html.contains("<h1>Not allowed</h1>"))
            #expect(!(try await alice.get("/console")).html.contains(#"href="/console/planning""#))
        }
    }
}
