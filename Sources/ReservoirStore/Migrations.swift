import Foundation
import GRDB

/// The schema, as frozen SQL. A shipped migration is never edited; changes are new migrations.
///
/// Invariants live in the schema ("trust SQLite more than yourself"): foreign keys, and a trigger
/// that refuses any allocation that would book a device beyond 1000 milli-GPU — no double booking,
/// whatever the Swift code does.
enum Migrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-inventory-tenancy-jobs") { db in
            try db.execute(sql: """
                CREATE TABLE region (id TEXT PRIMARY KEY, name TEXT NOT NULL);
                CREATE TABLE cluster (id TEXT PRIMARY KEY, region TEXT NOT NULL REFERENCES region(id), engine TEXT NOT NULL);
                CREATE TABLE pool (
                    id TEXT PRIMARY KEY, cluster TEXT NOT NULL REFERENCES cluster(id), body TEXT NOT NULL);
                CREATE TABLE node (
                    id TEXT PRIMARY KEY, pool TEXT NOT NULL REFERENCES pool(id), body TEXT NOT NULL);
                CREATE TABLE catalog_model (name TEXT PRIMARY KEY, body TEXT NOT NULL);
                CREATE TABLE tenant (id TEXT PRIMARY KEY, body TEXT NOT NULL);
                CREATE TABLE user (id TEXT PRIMARY KEY, tenant TEXT REFERENCES tenant(id), body TEXT NOT NULL);
                CREATE TABLE token (
                    id TEXT PRIMARY KEY, user TEXT NOT NULL REFERENCES user(id) ON DELETE CASCADE,
                    hash TEXT NOT NULL UNIQUE, created_at REAL NOT NULL, revoked INTEGER NOT NULL DEFAULT 0);
                CREATE TABLE quota (
                    tenant TEXT NOT NULL REFERENCES tenant(id) ON DELETE CASCADE, pool TEXT NOT NULL REFERENCES pool(id),
                    model TEXT NOT NULL, guaranteed_milli INTEGER NOT NULL CHECK (guaranteed_milli >= 0),
                    limit_milli INTEGER NOT NULL CHECK (limit_milli >= guaranteed_milli),
                    PRIMARY KEY (tenant, pool, model));
                CREATE TABLE job (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,
                    tenant TEXT NOT NULL REFERENCES tenant(id), state TEXT NOT NULL, priority TEXT NOT NULL,
                    submitted_at REAL NOT NULL, body TEXT NOT NULL);
                CREATE INDEX job_state ON job(state);
                CREATE INDEX job_tenant ON job(tenant, seq);
                CREATE TABLE allocation (
                    job TEXT NOT NULL REFERENCES job(id), replica INTEGER NOT NULL, device TEXT NOT NULL,
                    node TEXT NOT NULL, milli INTEGER NOT NULL CHECK (milli > 0 AND milli <= 1000),
                    PRIMARY KEY (job, replica, device));
                CREATE INDEX allocation_device ON allocation(device);
                CREATE TRIGGER allocation_no_double_booking BEFORE INSERT ON allocation
                WHEN (SELECT COALESCE(SUM(milli), 0) FROM allocation WHERE device = NEW.device) + NEW.milli > 1000
                BEGIN SELECT RAISE(ABORT, 'device double-booked'); END;
                CREATE TABLE decision (
                    id INTEGER PRIMARY KEY AUTOINCREMENT, job TEXT NOT NULL REFERENCES job(id), at REAL NOT NULL,
                    body TEXT NOT NULL);
                CREATE INDEX decision_job ON decision(job);
                CREATE TABLE job_event (
                    id INTEGER PRIMARY KEY AUTOINCREMENT, job TEXT NOT NULL REFERENCES job(id), at REAL NOT NULL,
                    kind TEXT NOT NULL, message TEXT NOT NULL);
                CREATE INDEX job_event_job ON job_event(job);
                CREATE TABLE audit (
                    id INTEGER PRIMARY KEY AUTOINCREMENT, at REAL NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
                    object TEXT NOT NULL, tenant TEXT, before TEXT, after TEXT);
                CREATE INDEX audit_object ON audit(object);
                """)
        }
        migrator.registerMigration("v2-usage-sessions") { db in
            try db.execute(sql: """
                CREATE TABLE usage_session (
                    id INTEGER PRIMARY KEY AUTOINCREMENT, job TEXT NOT NULL REFERENCES job(id), tenant TEXT NOT NULL,
                    pool TEXT, model TEXT NOT NULL, gpu_milli INTEGER NOT NULL, started_at REAL NOT NULL, ended_at REAL NOT NULL,
                    CHECK (ended_at >= started_at));
                CREATE INDEX usage_tenant ON usage_session(tenant, ended_at);
                """)
        }
        migrator.registerMigration("v3-forecast-records") { db in
            try db.execute(sql: """
                CREATE TABLE forecast_record (
                    id INTEGER PRIMARY KEY AUTOINCREMENT, created_at REAL NOT NULL, series TEXT NOT NULL,
                    start REAL NOT NULL, step REAL NOT NULL, body TEXT NOT NULL);
                CREATE INDEX forecast_series ON forecast_record(series, created_at);
                """)
        }
        migrator.registerMigration("v4-instance") { db in
            // A random id per database: engines tag external jobs with it (see SlurmConfiguration.instance).
            let id = String(UUID().uuidString.lowercased().prefix(8))
            try db.execute(sql: "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            try db.execute(sql: "INSERT INTO meta (key, value) VALUES ('instance', ?)", arguments: [id])
        }
        migrator.registerMigration("v5-day-two") { db in
            // Tokens expire and record their last use; demo tenants and users are remembered so the demo
            // never acts for anyone else; an idempotency key is stored with the object it created.
            try db.execute(sql: """
                ALTER TABLE token ADD COLUMN expires_at REAL;
                ALTER TABLE token ADD COLUMN last_used_at REAL;
                CREATE TABLE demo_seed (kind TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (kind, id));
                CREATE TABLE idempotency_key (
                    actor TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL, object TEXT NOT NULL,
                    created_at REAL NOT NULL, PRIMARY KEY (actor, key));
                """)
        }
        migrator.registerMigration("v5-job-command") { db in
            // Jobs carry a command and, once finished, an exit code (both in the body). The exit code is
            // also a column so failures can be counted by code without decoding every body.
            try db.execute(sql: "ALTER TABLE job ADD COLUMN exit_code INTEGER")
        }
        migrator.registerMigration("v6-list-pages") { db in
            // Lists page by key (`WHERE seq < ? ORDER BY seq DESC LIMIT ?`): each filter a list offers has an
            // index ending in the list's order, so a page reads its rows and no more. A job's pool becomes a
            // column (kept by the writes, filled here from the body) so jobs can be listed by pool.
            try db.execute(sql: """
                ALTER TABLE job ADD COLUMN pool TEXT;
                UPDATE job SET pool = json_extract(body, '$.pool');
                DROP INDEX job_state;
                CREATE INDEX job_state ON job(state, seq);
                CREATE INDEX job_pool ON job(pool, seq);
                CREATE INDEX audit_tenant ON audit(tenant, id);
                CREATE INDEX user_tenant ON user(tenant, id);
                CREATE INDEX token_created ON token(created_at, id);
                CREATE INDEX token_user ON token(user, created_at, id);
                CREATE INDEX quota_pool ON quota(pool, tenant, model);
                CREATE INDEX node_pool ON node(pool, id);
                """)
        }
        migrator.registerMigration("v7-telemetry") { db in
            // Device telemetry at three resolutions (SQLiteStore+Telemetry.swift). Rows are integers in tables
            // keyed by time first (WITHOUT ROWID), so ingest appends at the end of each tree, a range of time is
            // one scan and retention is one range delete. A row's attribution is two small keys fixed at ingest:
            // `source` (device, node, pool, model, memory) and `holder` (job, tenant, service; 0: no job).
            // Utilization is in hundredths of a percent, memory in MiB.
            try db.execute(sql: """
                CREATE TABLE telemetry_source (
                    id INTEGER PRIMARY KEY, device TEXT NOT NULL, node TEXT NOT NULL, pool TEXT NOT NULL, model TEXT NOT NULL,
                    memory_mib INTEGER NOT NULL CHECK (memory_mib > 0), UNIQUE (device, node, pool, model, memory_mib));
                CREATE INDEX telemetry_source_node ON telemetry_source(node);
                CREATE INDEX telemetry_source_pool ON telemetry_source(pool);
                CREATE INDEX telemetry_source_model ON telemetry_source(model);
                CREATE TABLE telemetry_holder (id INTEGER PRIMARY KEY, job TEXT UNIQUE, tenant TEXT, service TEXT);
                INSERT INTO telemetry_holder (id) VALUES (0);
                CREATE INDEX telemetry_holder_tenant ON telemetry_holder(tenant);
                CREATE INDEX telemetry_holder_service ON telemetry_holder(service);
                CREATE TABLE telemetry_minute (
                    minute INTEGER NOT NULL, source INTEGER NOT NULL, holder INTEGER NOT NULL,
                    util INTEGER NOT NULL CHECK (util BETWEEN 0 AND 10000), memory INTEGER NOT NULL CHECK (memory >= 0),
                    PRIMARY KEY (minute, source)) WITHOUT ROWID;
                CREATE TABLE telemetry_hour (
                    hour INTEGER NOT NULL, source INTEGER NOT NULL, holder INTEGER NOT NULL, samples INTEGER NOT NULL,
                    util_sum INTEGER NOT NULL, util_max INTEGER NOT NULL, memory_sum INTEGER NOT NULL, memory_max INTEGER NOT NULL,
                    PRIMARY KEY (hour, source, holder)) WITHOUT ROWID;
                CREATE TABLE telemetry_day (
                    day INTEGER NOT NULL, source INTEGER NOT NULL, holder INTEGER NOT NULL, samples INTEGER NOT NULL,
                    util_sum INTEGER NOT NULL, util_max INTEGER NOT NULL, memory_sum INTEGER NOT NULL, memory_max INTEGER NOT NULL,
                    PRIMARY KEY (day, source, holder)) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v7-device-health") { db in
            // A device's health history: every state change with its cause (XID, ECC, missing from the
            // node agent's discovery, an operator, a recovery), kept for good; listed newest first by device.
            try db.execute(sql: """
                CREATE TABLE device_health (
                    id INTEGER PRIMARY KEY AUTOINCREMENT, device TEXT NOT NULL, node TEXT NOT NULL, at REAL NOT NULL,
                    from_state TEXT NOT NULL, to_state TEXT NOT NULL, cause TEXT NOT NULL, detail TEXT NOT NULL, actor TEXT NOT NULL);
                CREATE INDEX device_health_device ON device_health(device, id);
                CREATE INDEX device_health_at ON device_health(at, id);
                """)
        }
        migrator.registerMigration("v7-services") { db in
            // Inference services: the service (its body holds replicas wanted, SLA, policy, traffic), one
            // row per adjustment (the durable record of every capacity change), tier-2/3 capacity
            // requests, and an index on the replica jobs' service tag (kept in the job body).
            try db.execute(sql: """
                CREATE TABLE service (id TEXT PRIMARY KEY, tenant TEXT NOT NULL, body TEXT NOT NULL);
                CREATE INDEX service_tenant ON service(tenant, id);
                CREATE TABLE service_adjustment (
                    id INTEGER PRIMARY KEY AUTOINCREMENT, service TEXT NOT NULL, tenant TEXT NOT NULL, at REAL NOT NULL,
                    before INTEGER NOT NULL, after INTEGER NOT NULL, actor TEXT NOT NULL, tier INTEGER NOT NULL, kind TEXT NOT NULL,
                    reason TEXT NOT NULL, body TEXT NOT NULL);
                CREATE INDEX service_adjustment_service ON service_adjustment(service, id);
                CREATE TABLE capacity_request (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, service TEXT NOT NULL, tenant TEXT NOT NULL,
                    state TEXT NOT NULL, body TEXT NOT NULL);
                CREATE INDEX capacity_request_tenant ON capacity_request(tenant, seq);
                CREATE INDEX capacity_request_state ON capacity_request(state, seq);
                CREATE INDEX job_service ON job(json_extract(body, '$.service'), seq);
                """)
        }
        migrator.registerMigration("v7-telemetry-details") { db in
            // Power, temperature and XID/ECC counts where the source reports them (NULL: not reported), in tenths
            // of a watt and of a degree; roll-ups count the samples that had each, so means ignore the others.
            // A device of unknown memory (an opaque openb model) may report too: its source row allows 0 MiB.
            try db.execute(sql: """
                CREATE TABLE telemetry_source_v2 (
                    id INTEGER PRIMARY KEY, device TEXT NOT NULL, node TEXT NOT NULL, pool TEXT NOT NULL, model TEXT NOT NULL,
                    memory_mib INTEGER NOT NULL CHECK (memory_mib >= 0), UNIQUE (device, node, pool, model, memory_mib));
                INSERT INTO telemetry_source_v2 SELECT id, device, node, pool, model, memory_mib FROM telemetry_source;
                DROP TABLE telemetry_source;
                ALTER TABLE telemetry_source_v2 RENAME TO telemetry_source;
                CREATE INDEX telemetry_source_node ON telemetry_source(node);
                CREATE INDEX telemetry_source_pool ON telemetry_source(pool);
                CREATE INDEX telemetry_source_model ON telemetry_source(model);
                ALTER TABLE telemetry_minute ADD COLUMN power INTEGER;
                ALTER TABLE telemetry_minute ADD COLUMN temperature INTEGER;
                ALTER TABLE telemetry_minute ADD COLUMN xid INTEGER;
                ALTER TABLE telemetry_minute ADD COLUMN ecc INTEGER;
                """)
            for table in ["telemetry_hour", "telemetry_day"] {
                for column in [
                    "power_samples", "power_sum", "power_max", "temperature_samples", "temperature_sum", "temperature_max",
                    "xid_samples", "xid_sum", "ecc_samples", "ecc_sum",
                ] {
                    try db.execute(sql: "ALTER TABLE \(table) ADD COLUMN \(column) INTEGER NOT NULL DEFAULT 0")
                }
            }
        }
        migrator.registerMigration("v7-telemetry-pool-minute") { db in
            // Minutes summed per pool and model (SQLiteStore+Telemetry.swift): the reservoir, a pool or a model by
            // the minute reads a few rows a minute instead of one per device, each joined to its memory. Memory
            // fractions are kept summed here (devices of unknown memory add 0), as the per-device query summed them.
            try db.execute(sql: """
                CREATE TABLE telemetry_pool_minute (
                    minute INTEGER NOT NULL, pool TEXT NOT NULL, model TEXT NOT NULL, samples INTEGER NOT NULL,
                    util_sum INTEGER NOT NULL, util_max INTEGER NOT NULL, memory_sum INTEGER NOT NULL, memory_max INTEGER NOT NULL,
                    fraction_sum REAL NOT NULL, fraction_max REAL NOT NULL,
                    power_samples INTEGER NOT NULL, power_sum INTEGER NOT NULL, power_max INTEGER NOT NULL,
                    temperature_samples INTEGER NOT NULL, temperature_sum INTEGER NOT NULL, temperature_max INTEGER NOT NULL,
                    xid_samples INTEGER NOT NULL, xid_sum INTEGER NOT NULL, ecc_samples INTEGER NOT NULL, ecc_sum INTEGER NOT NULL,
                    PRIMARY KEY (minute, pool, model)) WITHOUT ROWID;
                """)
            try db.execute(sql: SQLiteStore.poolMinuteRollUp(from: "telemetry_minute"))
        }
        migrator.registerMigration("v8-notifications") { db in
            // The notification outbox: one row per notice, written with the change it announces; the
            // delivery worker reads the pending ones by `next_attempt_at` and records each attempt.
            try db.execute(sql: """
                CREATE TABLE notification_outbox (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, recipient_kind TEXT NOT NULL, recipient_id TEXT NOT NULL,
                    topic TEXT NOT NULL, subject TEXT NOT NULL, body TEXT NOT NULL, created_at REAL NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt_at REAL, delivered_at REAL, failed_at REAL, last_error TEXT);
                CREATE INDEX notification_outbox_due ON notification_outbox(next_attempt_at) WHERE next_attempt_at IS NOT NULL;
                CREATE INDEX notification_outbox_recipient ON notification_outbox(recipient_kind, recipient_id, seq);
                """)
        }
        migrator.registerMigration("v9-requests") { db in
            // Resource requests and the grants they become (SQLiteStore+Requests.swift): the body is the
            // JSON of the record; the columns beside it are what lists filter and sort on. `request_reviewer`
            // holds the reviewers of each request's current routing (an approver's inbox is an index lookup);
            // `due_at`/`escalated_at` copy the routing's deadline so the escalation pass reads only overdue rows.
            try db.execute(sql: """
                CREATE TABLE request (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, tenant TEXT NOT NULL, applicant TEXT NOT NULL,
                    state TEXT NOT NULL, due_at REAL, escalated_at REAL, body TEXT NOT NULL);
                CREATE INDEX request_tenant ON request(tenant, seq);
                CREATE INDEX request_state ON request(state, seq);
                CREATE INDEX request_applicant ON request(applicant, seq);
                CREATE INDEX request_due ON request(due_at) WHERE escalated_at IS NULL AND state IN ('submitted', 'under-review');
                CREATE TABLE request_reviewer (
                    reviewer TEXT NOT NULL, request INTEGER NOT NULL REFERENCES request(seq) ON DELETE CASCADE,
                    PRIMARY KEY (reviewer, request)) WITHOUT ROWID;
                CREATE INDEX request_reviewer_request ON request_reviewer(request);
                CREATE TABLE resource_grant (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, request TEXT NOT NULL UNIQUE REFERENCES request(id),
                    tenant TEXT NOT NULL, pool TEXT NOT NULL, state TEXT NOT NULL, emergency INTEGER NOT NULL,
                    starts_at REAL NOT NULL, ends_at REAL, body TEXT NOT NULL);
                CREATE INDEX resource_grant_tenant ON resource_grant(tenant, seq);
                CREATE INDEX resource_grant_state ON resource_grant(state, seq);
                """)
        }
        migrator.registerMigration("v10-reclamations") { db in
            // Reclamation records (SQLiteStore+Reclamations.swift): one row per reclamation, its id the
            // record's stable id, so a reclamation completed again after a crash is recognised and not
            // stored twice; `at` and `tenant` are what the monthly listing filters on.
            try db.execute(sql: """
                CREATE TABLE reclamation (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, tenant TEXT NOT NULL, kind TEXT NOT NULL,
                    reason TEXT NOT NULL, at REAL NOT NULL, body TEXT NOT NULL);
                CREATE INDEX reclamation_at ON reclamation(at, seq);
                CREATE INDEX reclamation_tenant ON reclamation(tenant, at, seq);
                """)
        }
        migrator.registerMigration("v11-usage-segments") { db in
            // Usage sessions become segments of an allocation (UsageSession): open while devices are held
            // (`ended_at` NULL), with project, service, grant, devices, MIG profile, class and preemptible
            // for billing. SQLite cannot drop NOT NULL in place, so the table is rebuilt; old rows are
            // closed segments of their job's tenant.
            try db.execute(sql: """
                CREATE TABLE usage_segment (
                    id INTEGER PRIMARY KEY AUTOINCREMENT, job TEXT NOT NULL REFERENCES job(id), tenant TEXT NOT NULL,
                    project TEXT, service TEXT, grant_id TEXT, pool TEXT, model TEXT NOT NULL, gpu_milli INTEGER NOT NULL,
                    devices INTEGER NOT NULL DEFAULT 1, mig_profile TEXT, priority TEXT NOT NULL DEFAULT 'P2',
                    preemptible INTEGER NOT NULL DEFAULT 0, started_at REAL NOT NULL, ended_at REAL, closed_by TEXT,
                    CHECK (ended_at IS NULL OR ended_at >= started_at));
                INSERT INTO usage_segment (id, job, tenant, pool, model, gpu_milli, started_at, ended_at, closed_by)
                    SELECT id, job, tenant, pool, model, gpu_milli, started_at, ended_at, 'ended' FROM usage_session;
                DROP TABLE usage_session;
                ALTER TABLE usage_segment RENAME TO usage_session;
                CREATE INDEX usage_tenant_start ON usage_session(tenant, started_at);
                CREATE INDEX usage_start ON usage_session(started_at);
                CREATE INDEX usage_open ON usage_session(job) WHERE ended_at IS NULL;
                """)
        }
        migrator.registerMigration("v12-prices") { db in
            // Price versions (SQLiteStore+Prices.swift): appended, never edited, one per model and effective
            // instant. A model without a row is priced at its catalog list price from the epoch on; that
            // price is stored as the model's first row when the first version is added.
            try db.execute(sql: """
                CREATE TABLE price_version (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT, model TEXT NOT NULL, effective_from REAL NOT NULL, body TEXT NOT NULL,
                    UNIQUE (model, effective_from));
                """)
        }
        migrator.registerMigration("v13-invoices") { db in
            // Issued invoices and prepaid credits (SQLiteStore+Invoices.swift): an invoice of a month that
            // is over is stored once, as the document first served, keyed by (tenant, period), so it is
            // served byte-identical ever after; credits are appended. Amounts are exact decimal text.
            try db.execute(sql: """
                CREATE TABLE invoice (
                    tenant TEXT NOT NULL, period TEXT NOT NULL, issued_at REAL NOT NULL, total TEXT NOT NULL, body TEXT NOT NULL,
                    PRIMARY KEY (tenant, period)) WITHOUT ROWID;
                CREATE TABLE credit (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT, tenant TEXT NOT NULL, amount TEXT NOT NULL, note TEXT NOT NULL,
                    at REAL NOT NULL, actor TEXT NOT NULL);
                CREATE INDEX credit_tenant ON credit(tenant, seq);
                """)
        }
        migrator.registerMigration("v14-alerts") { db in
            // Alerts (SQLiteStore+Alerts.swift): one row per episode of a rule on a subject, the alert as
            // JSON in `body`; at most one open (pending or firing) episode per rule and subject; resolved
            // rows are the history.
            try db.execute(sql: """
                CREATE TABLE alert (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, rule TEXT NOT NULL, subject TEXT NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('pending', 'firing', 'resolved')), since REAL NOT NULL, resolved_at REAL,
                    body TEXT NOT NULL);
                CREATE UNIQUE INDEX alert_open ON alert(rule, subject) WHERE state IN ('pending', 'firing');
                CREATE INDEX alert_state ON alert(state, seq);
                """)
        }
        migrator.registerMigration("v15-job-changes") { db in
            // The job change feed (SQLiteStore+JobChanges.swift): every insert or update of a job row stamps
            // `change_seq` with a number above every stamp in the table (one writer, so stamps follow commit
            // order and a reader's snapshot holds a prefix of them). The triggers refuse a write whose stamp
            // does not grow, so no write path can change a job without the feed seeing it. Existing rows take
            // their `seq` (distinct, so the unique index holds).
            try db.execute(sql: """
                ALTER TABLE job ADD COLUMN change_seq INTEGER NOT NULL DEFAULT 0;
                UPDATE job SET change_seq = seq;
                CREATE UNIQUE INDEX job_change ON job(change_seq);
                CREATE TRIGGER job_change_grows_on_insert BEFORE INSERT ON job
                    WHEN NEW.change_seq <= (SELECT COALESCE(MAX(change_seq), 0) FROM job)
                    BEGIN SELECT RAISE(ABORT, 'job change_seq must grow'); END;
                CREATE TRIGGER job_change_grows_on_update BEFORE UPDATE ON job
                    WHEN NEW.change_seq <= (SELECT MAX(change_seq) FROM job)
                    BEGIN SELECT RAISE(ABORT, 'job change_seq must grow'); END;
                """)
            // Generations of the slowly changing tables the store memoises decoded (SQLiteStore+Caches.swift):
            // any insert, update or delete bumps its table's row, so a cache keyed on the generation can never
            // serve a stale value, whichever path wrote. A later migration that rebuilds one of these tables
            // must create its triggers again.
            try db.execute(sql: "CREATE TABLE table_generation (name TEXT PRIMARY KEY, gen INTEGER NOT NULL) WITHOUT ROWID")
            for table in ["region", "cluster", "pool", "node", "catalog_model", "tenant", "quota", "resource_grant"] {
                try db.execute(sql: "INSERT INTO table_generation (name, gen) VALUES (?, 0)", arguments: [table])
                for change in ["INSERT", "UPDATE", "DELETE"] {
                    try db.execute(sql: """
                        CREATE TRIGGER \(table)_generation_\(change.lowercased()) AFTER \(change) ON \(table)
                        BEGIN UPDATE table_generation SET gen = gen + 1 WHERE name = '\(table)'; END
                        """)
                }
            }
        }
        migrator.registerMigration("v16-business-events") { db in
            // Known business events (SQLiteStore+BusinessEvents.swift): promotions, model launches, contract
            // ramps that forecasts and capacity plans include; the event as JSON in `body`, its id `ev-<seq>`.
            try db.execute(sql: """
                CREATE TABLE business_event (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL, start REAL NOT NULL, "end" REAL NOT NULL, body TEXT NOT NULL,
                    CHECK ("end" > start));
                CREATE INDEX business_event_id ON business_event(id);
                """)
        }
        migrator.registerMigration("v17-console-sessions") { db in
            // Web console sessions (SQLiteStore+ConsoleSessions.swift): the hash of the cookie's secret, the
            // token signed in with (the session ends with it), the CSRF token, and the times idle and absolute
            // expiry count from. Kept on disk so a restart signs nobody out.
            try db.execute(sql: """
                CREATE TABLE console_session (
                    id_hash TEXT PRIMARY KEY, token TEXT NOT NULL REFERENCES token(id) ON DELETE CASCADE, user TEXT NOT NULL,
                    csrf TEXT NOT NULL, created_at REAL NOT NULL, last_seen_at REAL NOT NULL) WITHOUT ROWID;
                CREATE INDEX console_session_token ON console_session(token);
                """)
        }
        return migrator
    }
}
