/// The Mustache templates of the job pages (each extends the `layout` partial).
enum JobsTemplates {
    static let list = """
        {{<layout}}{{$main}}
        <p class="hint">{{scopeNote}} Newest first; {{total}} match.</p>
        {{#canSubmit}}<p><a href="/console/jobs/new" id="new-job">Submit a job</a></p>{{/canSubmit}}
        <form method="get" action="/console/jobs" class="filters" id="job-filters">
        {{#filters}}{{> control}}{{/filters}}
        <button type="submit">Filter</button>
        </form>
        {{#hasJobs}}
        <div class="table-wrap"><table id="jobs">
        <thead><tr><th scope="col">Job</th><th scope="col">Name</th><th scope="col">Tenant</th><th scope="col">Pool</th><th scope="col">State</th><th scope="col">Class</th><th scope="col" class="num">GPUs</th><th scope="col">Submitted</th></tr></thead>
        <tbody>
        {{#jobs}}<tr><th scope="row"><a href="/console/jobs/{{id}}">{{id}}</a></th><td>{{name}}</td><td>{{tenant}}</td><td>{{pool}}</td><td><span class="state state-{{state}}">{{state}}</span></td><td>{{priority}}</td><td class="num">{{gpus}}</td><td>{{submitted}}</td></tr>{{/jobs}}
        </tbody>
        </table></div>
        {{/hasJobs}}
        {{^hasJobs}}<p class="empty">No job matches.</p>{{/hasJobs}}
        <nav aria-label="Pages" class="pager">{{#first}}<a href="{{first}}">First page</a>{{/first}} {{#next}}<a href="{{next}}" rel="next">Next page</a>{{/next}}</nav>
        {{/main}}{{/layout}}
        """

    static let form = """
        {{<layout}}{{$main}}
        <p class="hint">The job is checked as the API checks it: quota, feasibility and your rights. {{tenantNote}}</p>
        {{> form-error}}
        <form id="job-form" method="post" action="/console/jobs" class="form">
        {{> csrf}}
        {{#fields}}{{#input}}{{> field}}{{/input}}{{#choice}}{{> control}}{{/choice}}{{/fields}}
        <button id="submit-job" type="submit">Submit the job</button>
        </form>
        {{/main}}{{/layout}}
        """

    static let job = """
        {{<layout}}{{$main}}
        <p class="job-state">State: <strong class="state state-{{state}}" data-state="{{state}}">{{state}}</strong></p>
        <section aria-labelledby="explain-heading">
        <h2 id="explain-heading">{{explainHeading}}</h2>
        <p class="explanation" data-explain="{{explainKind}}">{{explanation}}</p>
        {{#queuePosition}}<p>{{queuePosition}}</p>{{/queuePosition}}
        {{#hasDetails}}
        <div class="table-wrap"><table id="explain-details">
        <thead><tr><th scope="col">Nodes ruled out by</th><th scope="col" class="num">Count</th></tr></thead>
        <tbody>{{#details}}<tr><th scope="row">{{cause}}</th><td class="num">{{count}}</td></tr>{{/details}}</tbody>
        </table></div>
        {{/hasDetails}}
        </section>
        {{#canCancel}}
        <form method="post" action="/console/jobs/{{id}}/cancel" class="inline-form">
        {{> csrf}}
        <button type="submit" id="cancel-job" class="danger">Cancel the job</button>
        </form>
        {{/canCancel}}
        {{#classChoice}}
        <form method="post" action="/console/jobs/{{id}}/class" class="inline-form" id="class-form">
        {{> csrf}}
        {{> control}}
        <button type="submit" id="change-class">Change class</button>
        </form>
        {{/classChoice}}
        <section aria-labelledby="facts-heading">
        <h2 id="facts-heading">The job</h2>
        <div class="table-wrap"><table id="job-facts" class="facts">
        <tbody>{{#facts}}<tr><th scope="row">{{label}}</th><td>{{#link}}<a href="{{link}}">{{value}}</a>{{/link}}{{^link}}{{value}}{{/link}}</td></tr>{{/facts}}</tbody>
        </table></div>
        </section>
        <section aria-labelledby="placement-heading">
        <h2 id="placement-heading">Placement</h2>
        {{#hasPlacements}}
        <div class="table-wrap"><table id="placement">
        <thead><tr><th scope="col">Replica</th><th scope="col">Node</th><th scope="col">GPUs (device index)</th><th scope="col">Share</th><th scope="col">MIG</th><th scope="col" class="num">CPU</th><th scope="col">Memory</th></tr></thead>
        <tbody>{{#placements}}<tr><th scope="row">{{replica}}</th><td><a href="/console/nodes/{{node}}">{{node}}</a></td><td>{{devices}}</td><td>{{share}}</td><td>{{mig}}</td><td class="num">{{cpu}}</td><td>{{memory}}</td></tr>{{/placements}}</tbody>
        </table></div>
        {{/hasPlacements}}
        {{^hasPlacements}}<p class="empty">Not placed: it holds no device now.</p>{{/hasPlacements}}
        </section>
        <section aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">Timeline</h2>
        {{#hasEvents}}
        <ol class="timeline" id="timeline">
        {{#events}}<li><time>{{at}}</time> <span class="event-kind">{{kind}}</span> {{message}}</li>{{/events}}
        </ol>
        {{/hasEvents}}
        {{^hasEvents}}<p class="empty">No event yet.</p>{{/hasEvents}}
        <nav aria-label="Timeline pages" class="pager">{{#firstEvents}}<a href="{{firstEvents}}">First events</a>{{/firstEvents}} {{#moreEvents}}<a href="{{moreEvents}}" rel="next">Later events</a>{{/moreEvents}}</nav>
        </section>
        {{/main}}{{/layout}}
        """
}
