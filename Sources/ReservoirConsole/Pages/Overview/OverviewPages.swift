import ReservoirServices

/// `/console`: the overview every role lands on. Refreshed in place every 30 seconds by the script.
struct OverviewPages: ConsolePageGroup {
    static let overview = ConsolePage(id: "overview", title: "Overview", section: .overview, action: .readInventory, navPath: "/console")

    var pages: [ConsolePage] { [Self.overview] }
    var templates: [String: String] { ["overview": Self.template] }

    func register(on routes: ConsoleRoutes) {
        routes.get("/console", Self.overview) { request in
            .render(Self.overview, "overview", try OverviewModel.build(request).data)
        }
    }

    static let template = """
        {{<layout}}{{$main}}
        <p class="hint">{{scopeNote}} Measured {{measuredAt}}.</p>
        <section aria-labelledby="gpus-heading">
        <h2 id="gpus-heading">GPUs</h2>
        <div class="cards">
        {{#cards}}<div class="card"><div class="figure">{{figure}}</div><div class="label">{{label}}</div></div>{{/cards}}
        </div>
        </section>
        <section aria-labelledby="water-heading">
        <h2 id="water-heading">Water level by region, pool and model</h2>
        <ul class="legend"><li><span class="swatch allocated"></span>allocated</li><li><span class="swatch reserved"></span>reserved</li><li><span class="swatch free"></span>free</li></ul>
        {{#hasLevels}}
        <div class="table-wrap"><table id="water-level">
        <thead><tr><th scope="col">Region</th><th scope="col">Pool</th><th scope="col">Model</th><th scope="col" class="num">Total</th><th scope="col" class="num">Allocated</th><th scope="col" class="num">Reserved</th><th scope="col" class="num">Free</th><th scope="col" class="num">Queued GPUs</th><th scope="col">Level</th></tr></thead>
        <tbody>
        {{#levels}}<tr><th scope="row">{{region}}</th><td>{{pool}}</td><td>{{model}}</td><td class="num">{{total}}</td><td class="num">{{allocated}}</td><td class="num">{{reserved}}</td><td class="num">{{free}}</td><td class="num">{{queued}}</td><td>{{{bar}}}</td></tr>{{/levels}}
        </tbody>
        </table></div>
        {{/hasLevels}}
        {{^levels}}<p class="empty">No GPUs in the inventory yet.</p>{{/levels}}
        </section>
        <section aria-labelledby="util-heading">
        <h2 id="util-heading">Utilization</h2>
        <div class="cards">
        {{#utilization}}<div class="card"><div class="figure">{{figure}}</div><div class="label">{{label}}</div></div>{{/utilization}}
        </div>
        <h3>Last day</h3>
        {{{dayChart}}}
        <h3>Last week</h3>
        {{{weekChart}}}
        </section>
        {{#showAlerts}}
        <section aria-labelledby="alerts-heading">
        <h2 id="alerts-heading">Firing alerts</h2>
        {{#hasAlerts}}
        <div class="table-wrap"><table id="alerts">
        <thead><tr><th scope="col">Alert</th><th scope="col">Subject</th><th scope="col">Severity</th><th scope="col">Since</th><th scope="col">Summary</th></tr></thead>
        <tbody>
        {{#alerts}}<tr><th scope="row">{{name}}</th><td>{{subject}}</td><td class="severity-{{severity}}">{{severity}}</td><td>{{since}}</td><td>{{summary}}</td></tr>{{/alerts}}
        </tbody>
        </table></div>
        {{/hasAlerts}}
        {{^alerts}}<p class="empty">No alert is firing.</p>{{/alerts}}
        </section>
        {{/showAlerts}}
        <section aria-labelledby="queue-heading">
        <h2 id="queue-heading">Queue</h2>
        {{#hasQueues}}
        <div class="table-wrap"><table id="queue">
        <thead><tr><th scope="col">Pool</th><th scope="col" class="num">Jobs waiting</th><th scope="col" class="num">GPUs asked</th><th scope="col">Longest wait</th></tr></thead>
        <tbody>
        {{#queues}}<tr><th scope="row">{{pool}}</th><td class="num">{{jobs}}</td><td class="num">{{gpus}}</td><td>{{longestWait}}</td></tr>{{/queues}}
        </tbody>
        </table></div>
        {{/hasQueues}}
        {{^queues}}<p class="empty">No job is waiting.</p>{{/queues}}
        </section>
        {{/main}}{{/layout}}
        """
}
