/// The Mustache templates of the pool and node pages (each extends the `layout` partial).
enum PoolsTemplates {
    /// Links that choose what colours the heat map's cells (`colours`), and the scale.
    static let colourChoice = """
        <p class="colour-choice">Colour by: {{#colours}}{{#current}}<strong aria-current="true">{{name}}</strong>{{/current}}{{^current}}<a href="{{link}}">{{name}}</a>{{/current}} {{/colours}}</p>
        {{{legend}}}
        <p class="hint"><span class="swatch out-of-service"></span>grey: out of service (failed or in maintenance){{#byUtilization}}, or no sample in the last 15 minutes{{/byUtilization}}. Hover a cell for the device, its health, the work on it (jobs, shares, MIG slices) and its utilization; a cell opens its node.</p>
        """

    static let list = """
        {{<layout}}{{$main}}
        <p class="hint">Every pool with its GPUs and water level, measured {{measuredAt}}.</p>
        <ul class="legend"><li><span class="swatch allocated"></span>allocated</li><li><span class="swatch reserved"></span>reserved</li><li><span class="swatch free"></span>free</li></ul>
        {{#hasPools}}
        <div class="table-wrap"><table id="pools">
        <thead><tr><th scope="col">Pool</th><th scope="col">Region</th><th scope="col">Purpose</th><th scope="col">Sharing</th><th scope="col" class="num">Nodes</th><th scope="col">GPUs</th><th scope="col" class="num">Allocated</th><th scope="col" class="num">Reserved</th><th scope="col" class="num">Free</th><th scope="col" class="num">Jobs running</th><th scope="col" class="num">Waiting</th><th scope="col">Water level</th></tr></thead>
        <tbody>
        {{#pools}}<tr><th scope="row"><a href="/console/pools/{{id}}">{{id}}</a></th><td>{{region}} / {{cluster}}</td><td>{{purpose}}</td><td>{{sharing}}</td><td class="num">{{nodes}}</td><td>{{models}}</td><td class="num">{{allocated}}</td><td class="num">{{reserved}}</td><td class="num">{{free}}</td><td class="num">{{running}}</td><td class="num">{{waiting}}</td><td>{{{bar}}}</td></tr>{{/pools}}
        </tbody>
        </table></div>
        {{/hasPools}}
        {{^hasPools}}<p class="empty">No pool in the inventory yet.</p>{{/hasPools}}
        {{/main}}{{/layout}}
        """

    static let pool = """
        {{<layout}}{{$main}}
        <p class="hint">{{region}} / {{cluster}} · {{purpose}} · sharing: {{sharing}} · {{reservedPercent}} % held as dynamic reserve · {{nodeCount}} nodes, {{gpus}} GPUs, {{allocated}} allocated · {{running}} jobs running, {{waiting}} waiting.</p>
        <section aria-labelledby="level-heading">
        <h2 id="level-heading">Water level by model</h2>
        <div class="table-wrap"><table id="pool-levels">
        <thead><tr><th scope="col">Model</th><th scope="col" class="num">Total</th><th scope="col" class="num">Allocated</th><th scope="col" class="num">Reserved</th><th scope="col" class="num">Free</th><th scope="col" class="num">Queued GPUs</th><th scope="col">Level</th></tr></thead>
        <tbody>{{#levels}}<tr><th scope="row">{{model}}</th><td class="num">{{total}}</td><td class="num">{{allocated}}</td><td class="num">{{reserved}}</td><td class="num">{{free}}</td><td class="num">{{queued}}</td><td>{{{bar}}}</td></tr>{{/levels}}</tbody>
        </table></div>
        </section>
        <section aria-labelledby="heatmap-heading">
        <h2 id="heatmap-heading">GPUs by node</h2>
        {{> pool-colours}}
        {{#hasNodes}}
        <ul class="node-maps" id="heatmap">
        {{#nodes}}<li class="node-map"><h3><a href="/console/nodes/{{id}}">{{id}}</a> <span class="hint">{{model}} · {{state}} · {{summary}}</span></h3>{{{map}}}</li>{{/nodes}}
        </ul>
        {{/hasNodes}}
        {{^hasNodes}}<p class="empty">No node in this pool.</p>{{/hasNodes}}
        <nav aria-label="Pages" class="pager">{{#first}}<a href="{{first}}">First nodes</a>{{/first}} {{#next}}<a href="{{next}}" rel="next">Next nodes</a>{{/next}}</nav>
        </section>
        {{/main}}{{/layout}}
        """

    static let node = """
        {{<layout}}{{$main}}
        <p class="hint">Pool <a href="/console/pools/{{pool}}">{{pool}}</a> · {{model}} · rack {{rack}} · state <strong>{{state}}</strong></p>
        <div class="cards">
        <div class="card"><div class="figure">{{allocated}} / {{gpus}}</div><div class="label">GPUs allocated ({{free}} free for new work)</div></div>
        <div class="card"><div class="figure">{{cpu}}</div><div class="label">CPU cores allocated</div></div>
        <div class="card"><div class="figure">{{memory}}</div><div class="label">memory allocated</div></div>
        </div>
        {{#labels}}<p>Labels: <code>{{labels}}</code></p>{{/labels}}
        {{#taints}}<p>Taints: <code>{{taints}}</code></p>{{/taints}}
        <section aria-labelledby="devices-heading">
        <h2 id="devices-heading">Devices</h2>
        {{> pool-colours}}
        {{{map}}}
        <div class="table-wrap"><table id="devices">
        <thead><tr><th scope="col">GPU</th><th scope="col">Model</th><th scope="col">Memory</th><th scope="col">NVLink island</th><th scope="col">Health</th><th scope="col">Allocation</th><th scope="col">MIG mode</th><th scope="col" class="num">Utilization</th></tr></thead>
        <tbody>{{#devices}}<tr><th scope="row">{{index}}</th><td>{{model}}</td><td>{{memory}}</td><td>{{island}}</td><td>{{state}}</td><td>{{allocation}}</td><td>{{mig}}</td><td class="num">{{utilization}}</td></tr>{{/devices}}</tbody>
        </table></div>
        </section>
        <section aria-labelledby="work-heading">
        <h2 id="work-heading">What runs here</h2>
        {{#hasWork}}
        <div class="table-wrap"><table id="node-work">
        <thead><tr><th scope="col">Job</th><th scope="col">Name</th><th scope="col">Tenant</th><th scope="col" class="num">Replica</th><th scope="col" class="num">GPU</th><th scope="col">Share</th></tr></thead>
        <tbody>{{#work}}<tr><th scope="row"><a href="/console/jobs/{{job}}">{{job}}</a></th><td>{{name}}</td><td>{{tenant}}</td><td class="num">{{replica}}</td><td class="num">{{device}}</td><td>{{share}}</td></tr>{{/work}}</tbody>
        </table></div>
        {{/hasWork}}
        {{^hasWork}}<p class="empty">No job you may see runs here.</p>{{/hasWork}}
        {{#unnamed}}<p class="hint">{{unnamed}}</p>{{/unnamed}}
        </section>
        {{/main}}{{/layout}}
        """
}
