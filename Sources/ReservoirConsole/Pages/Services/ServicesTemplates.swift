/// The Mustache templates of the service pages (each extends the `layout` partial).
enum ServicesTemplates {
    static let list = """
        {{<layout}}{{$main}}
        <p class="hint">Inference services by name, with their replicas, load and SLA now.</p>
        {{#hasServices}}
        <div class="table-wrap"><table id="services">
        <thead><tr><th scope="col">Service</th><th scope="col">Tenant</th><th scope="col">Pool</th><th scope="col">Model</th><th scope="col" class="num">Replicas running / desired</th><th scope="col">Range</th><th scope="col" class="num">Traffic</th><th scope="col" class="num">GPU utilization</th><th scope="col" class="num">p99 estimate</th><th scope="col">SLA p99</th><th scope="col">SLA</th></tr></thead>
        <tbody>
        {{#services}}<tr><th scope="row"><a href="/console/services/{{name}}">{{name}}</a></th><td>{{tenant}}</td><td>{{pool}}</td><td>{{model}}</td><td class="num">{{running}} / {{desired}}</td><td>{{range}}</td><td class="num">{{qps}}</td><td class="num">{{utilization}}</td><td class="num">{{p99}}</td><td>{{slaLatency}}</td><td class="{{slaClass}}">{{sla}}</td></tr>{{/services}}
        </tbody>
        </table></div>
        {{/hasServices}}
        {{^hasServices}}<p class="empty">No inference service yet.</p>{{/hasServices}}
        <nav aria-label="Pages" class="pager">{{#first}}<a href="{{first}}">First page</a>{{/first}} {{#next}}<a href="{{next}}" rel="next">Next page</a>{{/next}}</nav>
        {{/main}}{{/layout}}
        """

    static let service = """
        {{<layout}}{{$main}}
        <p class="hint">Tenant {{tenant}}, pool <a href="/console/pools/{{pool}}">{{pool}}</a>, serving {{model}} in class {{priority}}. Measured {{measuredAt}}.</p>
        <section aria-labelledby="replicas-heading">
        <h2 id="replicas-heading">Replicas and SLA</h2>
        <div class="cards">
        <div class="card"><div class="figure">{{running}} / {{desired}}</div><div class="label">replicas running / desired ({{pending}} waiting; range {{range}})</div></div>
        <div class="card"><div class="figure">{{qps}}</div><div class="label">traffic now (SLA peak {{slaPeak}})</div></div>
        <div class="card"><div class="figure">{{utilization}}</div><div class="label">GPU utilization</div></div>
        <div class="card"><div class="figure">{{p99}}</div><div class="label">p99 latency estimate (SLA {{slaLatency}}: <span class="{{slaClass}}">{{sla}}</span>)</div></div>
        </div>
        <p class="hint">{{policy}}</p>
        {{#hasReplicaJobs}}<p>Replica jobs: {{#replicaJobs}}<a href="/console/jobs/{{.}}">{{.}}</a> {{/replicaJobs}}</p>{{/hasReplicaJobs}}
        </section>
        <section aria-labelledby="traffic-heading">
        <h2 id="traffic-heading">Traffic</h2>
        <p class="hint">Requests per second over the last day.</p>
        {{#trafficChart}}{{{trafficChart}}}{{/trafficChart}}
        {{^trafficChart}}<p class="empty">This service has no simulated traffic profile: its traffic is its clients'.</p>{{/trafficChart}}
        <h3>GPU utilization</h3>
        {{{utilizationChart}}}
        </section>
        <section aria-labelledby="history-heading">
        <h2 id="history-heading">Scaling history</h2>
        {{#hasHistory}}
        <div class="table-wrap"><table id="scaling-history">
        <thead><tr><th scope="col">When</th><th scope="col">What</th><th scope="col" class="num">Tier</th><th scope="col" class="num">Before</th><th scope="col" class="num">After</th><th scope="col">By</th><th scope="col">Reason</th><th scope="col">Nodes / request</th></tr></thead>
        <tbody>
        {{#history}}<tr><th scope="row">{{at}}</th><td>{{kind}}</td><td class="num">{{tier}}</td><td class="num">{{before}}</td><td class="num">{{after}}</td><td>{{actor}}</td><td>{{reason}}</td><td>{{nodes}}</td></tr>{{/history}}
        </tbody>
        </table></div>
        {{/hasHistory}}
        {{^hasHistory}}<p class="empty">No adjustment yet.</p>{{/hasHistory}}
        <nav aria-label="History pages" class="pager">{{#firstHistory}}<a href="{{firstHistory}}">Earliest</a>{{/firstHistory}} {{#moreHistory}}<a href="{{moreHistory}}" rel="next">Later adjustments</a>{{/moreHistory}}</nav>
        </section>
        {{/main}}{{/layout}}
        """
}
