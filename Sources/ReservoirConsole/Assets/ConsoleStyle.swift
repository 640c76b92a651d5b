/// The console's stylesheet (served as `/console/assets/console.css`; the CSP forbids inline styles).
/// Plain, readable at 1366 px and at 390 px: the nav wraps, wide tables scroll inside `.table-wrap`, and
/// every focusable element shows a visible focus ring.
enum ConsoleStyle {
    static let source = #"""
        :root { --ink: #1b1f24; --muted: #57606a; --line: #d0d7de; --paper: #ffffff; --band: #f6f8fa; --accent: #0b5cad;
          --alloc: #0b5cad; --reserved: #b35900; --free: #2e7d32; --danger: #b42318; --warn: #8a6100; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--paper); }
        a { color: var(--accent); }
        :focus-visible { outline: 3px solid #f0b400; outline-offset: 2px; }
        .skip-link { position: absolute; left: -9999px; top: 0; background: var(--paper); padding: .5rem 1rem; z-index: 10; }
        .skip-link:focus { left: .5rem; }
        .site-header { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1.5rem; padding: .75rem 1.5rem;
          border-bottom: 1px solid var(--line); background: var(--band); }
        .brand { font-weight: 700; font-size: 1.15rem; text-decoration: none; color: var(--ink); }
        .site-nav ul { display: flex; flex-wrap: wrap; gap: .25rem .9rem; list-style: none; margin: 0; padding: 0; }
        .site-nav a { text-decoration: none; padding: .2rem 0; }
        .site-nav a[aria-current="page"] { font-weight: 700; border-bottom: 2px solid var(--accent); }
        .who { margin-left: auto; display: flex; align-items: center; gap: .6rem; flex-wrap: wrap; }
        .who .role { color: var(--muted); font-size: .9rem; }
        .sign-out { margin: 0; }
        main { padding: 1rem 1.5rem 3rem; max-width: 1400px; }
        h1 { font-size: 1.6rem; margin: .5rem 0 1rem; }
        h2 { font-size: 1.2rem; margin: 1.75rem 0 .5rem; }
        .flash { background: #e6f4ea; border: 1px solid #8fcf9c; padding: .5rem .75rem; border-radius: 4px; }
        .form-error, .status-message { color: var(--danger); font-weight: 600; }
        .form { display: grid; gap: 1rem; max-width: 34rem; }
        .filters { display: flex; flex-wrap: wrap; align-items: flex-end; gap: .75rem 1rem; margin-bottom: 1rem; }
        .filters .field { flex: 1 1 12rem; max-width: 18rem; }
        tr.chosen td { background: #eef5fc; } td.negative { color: var(--danger); font-weight: 600; }
        .field { display: grid; gap: .25rem; }
        .field label { font-weight: 600; }
        input, select, textarea, button { font: inherit; }
        input, select, textarea { padding: .45rem .55rem; border: 1px solid #8c959f; border-radius: 4px; max-width: 100%; }
        input[aria-invalid="true"] { border-color: var(--danger); }
        .field-error { color: var(--danger); margin: 0; font-size: .95rem; }
        .hint { color: var(--muted); margin: 0; font-size: .9rem; }
        button { padding: .45rem .9rem; border-radius: 4px; border: 1px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; }
        .sign-out button { background: transparent; color: var(--accent); }
        .table-wrap { overflow-x: auto; max-width: 100%; border: 1px solid var(--line); border-radius: 4px; }
        table { border-collapse: collapse; width: 100%; }
        th, td { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid var(--line); white-space: nowrap; vertical-align: middle; }
        th { background: var(--band); }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
        .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(9rem, 1fr)); gap: .75rem; }
        .card { border: 1px solid var(--line); border-radius: 6px; padding: .75rem; }
        .card .figure { font-size: 1.6rem; font-weight: 700; }
        .card .label { color: var(--muted); }
        .chart { width: 100%; height: auto; max-width: 56rem; display: block; }
        .bar { width: 14rem; height: 1rem; display: block; }
        .heatmap { max-width: 100%; height: auto; display: block; }
        .chart .axis, .chart .grid { stroke: #8c959f; stroke-width: 1; }
        .chart .grid { stroke: var(--line); }
        .chart .line { fill: none; stroke: var(--accent); stroke-width: 2; }
        .chart .band { fill: var(--accent); fill-opacity: .15; stroke: none; }
        .chart text, .heatmap text { font-size: 12px; fill: var(--muted); }
        .seg-allocated { fill: var(--alloc); } .seg-reserved { fill: var(--reserved); } .seg-free { fill: var(--free); } .seg-other { fill: #8c959f; }
        .legend { display: flex; flex-wrap: wrap; gap: .25rem 1rem; list-style: none; padding: 0; margin: .25rem 0; color: var(--muted); font-size: .9rem; }
        .swatch { display: inline-block; width: .8rem; height: .8rem; margin-right: .3rem; vertical-align: middle; }
        .swatch.allocated { background: var(--alloc); } .swatch.reserved { background: var(--reserved); } .swatch.free { background: var(--free); }
        .severity-critical { color: var(--danger); font-weight: 700; } .severity-warning { color: var(--warn); font-weight: 700; }
        .empty { color: var(--muted); }
        fieldset { border: 1px solid var(--line); border-radius: 6px; padding: .75rem 1rem 1rem; display: grid; gap: 1rem; margin: 0; min-width: 0; }
        .form .field input, .form .field select, .form .field textarea { width: 100%; }
        @media (min-width: 960px) {
          #request-form { max-width: 72rem; grid-template-columns: minmax(0, 34rem) minmax(0, 1fr); column-gap: 2rem; }
          #request-form > * { grid-column: 1; }
          #request-form > .estimate-panel { grid-column: 2; grid-row: 1 / span 8; align-self: start; position: sticky; top: 1rem; border-top: 0; }
        }
        legend { font-weight: 700; padding: 0 .3rem; }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; margin: .5rem 0; }
        .facts dt { font-weight: 600; color: var(--muted); }
        .facts dd { margin: 0; overflow-wrap: anywhere; }
        .filters { display: flex; flex-wrap: wrap; gap: .75rem; align-items: end; margin: .5rem 0 1rem; }
        .field.check { display: flex; gap: .4rem; align-items: center; }
        button.secondary { background: transparent; color: var(--accent); }
        .actions { display: flex; flex-wrap: wrap; gap: .75rem; }
        .problems { color: var(--danger); margin: .25rem 0; }
        .verdict-fits-now { color: var(--free); } .verdict-must-queue, .verdict-must-shrink { color: var(--warn); } .verdict-refused { color: var(--danger); }
        .overdue { color: var(--danger); }
        .inbox-item, .candidate, .extension { border: 1px solid var(--line); border-radius: 6px; padding: .75rem 1rem; margin: 1rem 0; max-width: 48rem; }
        .inbox-item h2, .candidate h3, .extension h3 { margin-top: 0; }
        .estimate-panel { border-top: 1px solid var(--line); }
        td.wrap { white-space: normal; min-width: 12rem; }
        code { overflow-wrap: anywhere; }
        .inline-form { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: end; margin: 0 0 1rem; }
        .pager { display: flex; gap: 1rem; margin: .75rem 0; }
        button.danger { background: var(--danger); border-color: var(--danger); }
        .timeline { padding-left: 1.25rem; } .timeline time { color: var(--muted); font-variant-numeric: tabular-nums; }
        .event-kind { font-weight: 600; }
        table.facts td { white-space: normal; overflow-wrap: anywhere; }
        .node-maps { list-style: none; padding: 0; margin: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 24rem), 1fr)); gap: .75rem; }
        .node-map { border: 1px solid var(--line); border-radius: 6px; padding: .5rem .75rem; min-width: 0; }
        .node-map h3 { font-size: 1rem; margin: 0 0 .4rem; }
        .heatmap a:focus-visible rect { stroke: #f0b400; stroke-width: 3; }
        .swatch.out-of-service { background: #d0d7de; border: 1px solid #8c959f; }
        .state-running, .state-succeeded { color: var(--free); } .state-failed, .state-cancelled { color: var(--danger); } .state-queued, .state-preempted { color: var(--warn); }
        @media (max-width: 640px) {
          .site-header { padding: .6rem .75rem; }
          .who { margin-left: 0; }
          main { padding: .75rem .75rem 2rem; }
          h1 { font-size: 1.35rem; }
          .bar { width: 9rem; }
        }
        """#
}
