extension PlanningPages {
    /// The page: the forecast (chooser, chart, figures, recorded error), business events, then the three
    /// question forms, each followed by its answer when it was asked.
    static let template = """
        {{<layout}}{{$main}}
        <form method="get" action="/console/planning" class="filters" id="forecast-chooser">
        {{#chooser}}{{> select-field}}{{/chooser}}
        <button type="submit">Show the forecast</button>
        </form>
        <section aria-labelledby="forecast-heading">
        <h2 id="forecast-heading">Demand forecast of {{subject}}</h2>
        {{#forecastError}}<p class="form-error" role="alert">{{forecastError}}</p>{{/forecastError}}
        {{#chart}}
        {{{chart}}}
        <p class="hint">The line: demand (GPUs in use plus queued) over the last week, then the forecast mean; the shaded band: its 80 % interval.</p>
        <div class="cards">
        {{#forecastCards}}<div class="card"><div class="figure">{{figure}}</div><div class="label">{{label}}</div></div>{{/forecastCards}}
        </div>
        <p class="hint">Model: {{method}}; seasonality: {{seasonality}}.{{#hasIncludedEvents}} Includes the business events {{includedEvents}}.{{/hasIncludedEvents}}</p>
        {{#notes}}<p class="hint">{{.}}</p>{{/notes}}
        <h3>How wrong recorded forecasts turned out</h3>
        {{#hasErrors}}
        <div class="table-wrap"><table id="forecast-errors">
        <thead><tr><th scope="col">Made</th><th scope="col">Series</th><th scope="col">Model</th><th scope="col" class="num">Hours realized</th><th scope="col" class="num">MAE (GPUs)</th><th scope="col" class="num">MAPE</th><th scope="col" class="num">In the 80 % interval</th></tr></thead>
        <tbody>
        {{#errors}}<tr><th scope="row">{{made}}</th><td>{{series}}</td><td>{{method}}</td><td class="num">{{points}}</td><td class="num">{{mae}}</td><td class="num">{{mape}}</td><td class="num">{{cov80}}</td></tr>{{/errors}}
        </tbody>
        </table></div>
        {{/hasErrors}}
        {{^errors}}<p class="empty">No recorded forecast of this series yet: recording the capacity plan (the button below, or <code>POST /v1/plans/capacity</code>) keeps its forecasts, scored here as their hours pass.</p>{{/errors}}
        {{/chart}}
        </section>
        <section aria-labelledby="events-heading">
        <h2 id="events-heading">Business events</h2>
        {{#hasEvents}}
        <div class="table-wrap"><table id="business-events">
        <thead><tr><th scope="col">Event</th><th scope="col">Kind</th><th scope="col">From</th><th scope="col">Until</th><th scope="col">Effect</th><th scope="col">Pools and models</th></tr></thead>
        <tbody>
        {{#events}}<tr><th scope="row">{{name}}</th><td>{{kind}}</td><td>{{from}}</td><td>{{until}}</td><td>{{effect}}</td><td>{{scope}}</td></tr>{{/events}}
        </tbody>
        </table></div>
        {{/hasEvents}}
        {{^events}}<p class="empty">No business event is registered.</p>{{/events}}
        </section>
        <section aria-labelledby="plan-heading">
        <h2 id="plan-heading">Capacity plan</h2>
        <p class="hint">Forecasts every model's demand and says what to buy or rent, and by when. It takes a while: it runs only on the button.</p>
        {{#planError}}<p class="form-error" role="alert">{{planError}}</p>{{/planError}}
        <form method="get" action="/console/planning#plan-heading" class="form" id="plan-form">
        {{#keep}}<input type="hidden" name="{{name}}" value="{{value}}">{{/keep}}
        <input type="hidden" name="plan" value="run">
        {{#planFields}}{{> field}}{{/planFields}}
        <button type="submit" id="run-plan">Make the capacity plan</button>
        </form>
        {{#plan}}
        <p class="hint">Made {{generatedAt}} over {{horizon}} hours; threshold {{threshold}}, buffer {{buffer}}.</p>
        <div class="table-wrap"><table id="capacity-plan">
        <thead><tr><th scope="col">Model</th><th scope="col">Do</th><th scope="col" class="num">Installed</th><th scope="col">Sustained peak (80 %)</th><th scope="col" class="num">Peak utilization</th><th scope="col">GPUs to add (80 %)</th><th scope="col">Needed by</th><th scope="col">Order by</th><th scope="col">Rent</th><th scope="col" class="num">Cost</th></tr></thead>
        <tbody>
        {{#recommendations}}<tr><th scope="row">{{model}}</th><td>{{action}}</td><td class="num">{{installed}}</td><td>{{peak}}</td><td class="num">{{utilization}}</td><td>{{gpus}}</td><td>{{neededBy}}</td><td>{{orderBy}}</td><td>{{rent}}</td><td class="num">{{cost}}</td></tr>{{/recommendations}}
        </tbody>
        </table></div>
        {{#skipped}}<p class="hint">{{model}} left out: {{why}}</p>{{/skipped}}
        {{/plan}}
        <form method="post" action="/console/planning/plans" id="record-plan">
        {{> csrf}}
        <p class="hint">Recording the plan (with the configured policy) keeps its forecasts, so their error can be scored above as their hours pass.</p>
        <button type="submit">Make and record the plan</button>
        </form>
        </section>
        <section aria-labelledby="whatif-heading">
        <h2 id="whatif-heading">What if</h2>
        <h3 id="request-heading">A customer asks for GPUs</h3>
        {{#requestError}}<p class="form-error" role="alert">{{requestError}}</p>{{/requestError}}
        <form method="get" action="/console/planning#request-heading" class="form" id="whatif-request">
        {{#keep}}<input type="hidden" name="{{name}}" value="{{value}}">{{/keep}}
        <input type="hidden" name="whatif" value="request">
        {{#requestSelects}}{{> select-field}}{{/requestSelects}}
        {{#requestFields}}{{> field}}{{/requestFields}}
        <button type="submit">Plan the request</button>
        </form>
        {{#fulfilment}}
        <p>{{asked}}: {{#covered}}covered{{/covered}}{{^covered}}{{shortfall}} GPUs short{{/covered}}, costing {{totalCost}} in all; {{preempted}} GPU-hours of lower classes preempted.</p>
        <div class="table-wrap"><table id="fulfilment">
        <thead><tr><th scope="col">Step</th><th scope="col">How</th><th scope="col">From</th><th scope="col" class="num">GPUs</th><th scope="col">Available after</th><th scope="col" class="num">Cost</th><th scope="col">Note</th></tr></thead>
        <tbody>
        {{#steps}}<tr><th scope="row">{{order}}</th><td>{{kind}}</td><td>{{source}}</td><td class="num">{{gpus}}</td><td>{{at}}</td><td class="num">{{cost}}</td><td>{{note}}</td></tr>{{/steps}}
        </tbody>
        </table></div>
        {{/fulfilment}}
        <h3 id="surge-heading">Demand surges</h3>
        {{#surgeError}}<p class="form-error" role="alert">{{surgeError}}</p>{{/surgeError}}
        <form method="get" action="/console/planning#surge-heading" class="form" id="whatif-surge">
        {{#keep}}<input type="hidden" name="{{name}}" value="{{value}}">{{/keep}}
        <input type="hidden" name="whatif" value="surge">
        {{#surgeSelects}}{{> select-field}}{{/surgeSelects}}
        {{#surgeFields}}{{> field}}{{/surgeFields}}
        <button type="submit">Plan the surge</button>
        </form>
        {{#surge}}
        <div class="cards" id="surge-outcome">
        <div class="card"><div class="figure">{{peakShortfall}}</div><div class="label">GPUs short at the peak ({{model}})</div></div>
        <div class="card"><div class="figure">{{unserved}}</div><div class="label">GPU-hours unserved</div></div>
        <div class="card"><div class="figure">{{gpus}}</div><div class="label">GPUs to add ({{action}}); rent: {{rent}}</div></div>
        </div>
        {{/surge}}
        </section>
        {{/main}}{{/layout}}
        """
}
