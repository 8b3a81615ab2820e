import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One deployment, many companies, kept apart by PostgreSQL itself.
 *
 * - `company` is no longer a singleton. A database without a company gets one, not set up yet
 *   (its details are empty until the first `PUT /api/company`), so that every row has a company
 *   from the start; an existing company becomes the first company and keeps its id.
 * - Every company-owned table carries `company_id` (existing rows get the first company's id),
 *   and every primary key, unique index and foreign key between company-owned tables leads with
 *   it: no row can reference another company's row, and each table can be distributed by
 *   `company_id` (see the README's Citus plan).
 * - Row-level security on every company-owned table and on `company`: a row is visible and
 *   writable only when its `company_id` equals the transaction's `app.company_id` setting, which
 *   the service sets with `set_config(..., true)` (SET LOCAL) from the resolved company. Without
 *   the setting nothing is visible. `company_id` defaults to the setting, so an insert cannot
 *   land in another company either. The API's role owns nothing and cannot bypass RLS.
 * - The few operations that must see across companies (the outbox relay, the certificate render
 *   queue, expiry of idempotency keys, the checkpoint scheduler, the deployment's first company,
 *   the public certificate check) are SECURITY DEFINER functions owned by the owner, each doing
 *   exactly one thing; the application role may call them and nothing else across companies.
 * - RLS makes PostgreSQL evaluate its own filter before any operator that is not LEAKPROOF, so
 *   such an operator (LIKE) can no longer use an index. The audit log's text search, served by a
 *   trigram index, gets a function that searches the current company only, as the owner.
 */

const FIRST_COMPANY_SQL = `SELECT id FROM company ORDER BY created_at, id LIMIT 1`;

/** The company-owned tables (all but `company` itself). */
const OWNED = [
  'shareholder',
  'shareholder_version',
  'share_class',
  'issuance',
  'idempotency_key',
  'certificate',
  'certificate_counter',
  'certificate_assignment',
  'certificate_request',
  'audit_entry',
  'audit_checkpoint',
  'outbox_event',
  'processed_event',
] as const;

interface Key {
  table: string;
  name: string;
  /** The definition before, and after, `company_id` leads it. */
  before: string;
  after: string;
}

const c = 'company_id, ';

const PRIMARY_KEYS: Key[] = [
  ['shareholder', 'id'],
  ['shareholder_version', 'id'],
  ['share_class', 'id'],
  ['issuance', 'id'],
  ['idempotency_key', 'scope, key'],
  ['certificate', 'id'],
  ['certificate_counter', 'share_class_id'],
  ['certificate_assignment', 'issuance_id'],
  ['certificate_request', 'issuance_id'],
  ['audit_entry', 'seq'],
  ['audit_checkpoint', 'seq'],
  ['outbox_event', 'id'],
  ['processed_event', 'event_id, consumer'],
].map(([table, columns]) => ({
  table,
  name: `pk_${table}`,
  before: `PRIMARY KEY (${columns})`,
  after: `PRIMARY KEY (${c}${columns})`,
}));

/** [table, name, unique, columns, where] */
const INDEXES: Array<[string, string, boolean, string, string?]> = [
  ['shareholder', 'uq_shareholder_user_id', true, 'user_id', 'user_id IS NOT NULL'],
  ['shareholder', 'uq_shareholder_email_lower', true, 'lower(email)'],
  ['shareholder_version', 'uq_shareholder_version', true, 'shareholder_id, version'],
  ['share_class', 'uq_share_class_certificate_prefix', true, 'certificate_prefix'],
  ['share_class', 'uq_share_class_name', true, 'name'],
  ['issuance', 'idx_issuance_date', false, 'date'],
  ['issuance', 'idx_issuance_share_class_date', false, 'share_class_id, date'],
  ['issuance', 'idx_issuance_shareholder_date', false, 'shareholder_id, date'],
  ['audit_entry', 'idx_audit_entry_outcome', false, 'outcome, occurred_at, seq'],
  ['audit_entry', 'idx_audit_entry_entity', false, 'entity_type, entity_id, occurred_at, seq'],
  ['audit_entry', 'idx_audit_entry_action', false, 'action, occurred_at, seq'],
  ['audit_entry', 'idx_audit_entry_actor_sub', false, 'actor_sub, occurred_at, seq'],
  ['audit_entry', 'idx_audit_entry_actor_name', false, 'actor_name, occurred_at, seq'],
  ['audit_entry', 'idx_audit_entry_occurred', false, 'occurred_at, seq'],
  ['audit_entry', 'uq_audit_entry_source_event', true, 'source_event_id'],
  ['certificate', 'idx_certificate_shareholder', false, 'shareholder_id'],
  ['certificate', 'uq_certificate_verification_code', true, 'verification_code'],
  ['certificate', 'uq_certificate_issuance_active', true, 'issuance_id', `status = 'active'`],
  ['certificate', 'uq_certificate_issuance_version', true, 'issuance_id, version'],
  ['certificate', 'uq_certificate_number_version', true, 'certificate_number, version'],
  ['certificate_assignment', 'uq_certificate_assignment_number', true, 'certificate_number'],
  [
    'certificate_assignment',
    'uq_certificate_assignment_class_sequence',
    true,
    'share_class_id, sequence',
  ],
  ['outbox_event', 'idx_outbox_event_aggregate', false, 'aggregate_type, aggregate_id'],
];

/** [table, name, column, referenced table, referenced column] */
const FOREIGN_KEYS: Array<[string, string, string, string, string]> = [
  [
    'shareholder_version',
    'fk_shareholder_version_shareholder',
    'shareholder_id',
    'shareholder',
    'id',
  ],
  ['issuance', 'fk_issuance_shareholder', 'shareholder_id', 'shareholder', 'id'],
  ['issuance', 'fk_issuance_share_class', 'share_class_id', 'share_class', 'id'],
  ['certificate', 'fk_certificate_issuance', 'issuance_id', 'issuance', 'id'],
  ['certificate', 'fk_certificate_shareholder', 'shareholder_id', 'shareholder', 'id'],
  ['certificate', 'fk_certificate_share_class', 'share_class_id', 'share_class', 'id'],
  ['certificate', 'fk_certificate_supersedes', 'supersedes_id', 'certificate', 'id'],
  [
    'certificate_counter',
    'fk_certificate_counter_share_class',
    'share_class_id',
    'share_class',
    'id',
  ],
  ['certificate_assignment', 'fk_certificate_assignment_issuance', 'issuance_id', 'issuance', 'id'],
  [
    'certificate_assignment',
    'fk_certificate_assignment_share_class',
    'share_class_id',
    'share_class',
    'id',
  ],
];

const COMPANY_DETAILS = ['legal_name', 'country', 'formation_date', 'default_currency'];

/**
 * The functions that see across companies. Each is SECURITY DEFINER (runs as the owner, to whom
 * RLS does not apply), pins its search_path, and may be executed by the application role only.
 */
const DEFINER_FUNCTIONS: Array<{ signature: string; body: string }> = [
  {
    // The deployment's first company: the one the unscoped routes address by default.
    signature: 'app_first_company_id()',
    body: `RETURNS uuid LANGUAGE sql STABLE AS $$ ${FIRST_COMPANY_SQL} $$`,
  },
  {
    signature: 'app_company_exists(p_id uuid)',
    body: `RETURNS boolean LANGUAGE sql STABLE AS $$ SELECT EXISTS (SELECT 1 FROM company WHERE id = p_id) $$`,
  },
  {
    // The outbox relay: claims due events of every company under a lease, oldest first.
    signature: 'app_outbox_claim(p_limit integer, p_lease_ms integer, p_claimed_by text)',
    body: `RETURNS TABLE (company_id uuid, id uuid, "position" bigint, type varchar, aggregate_type varchar,
                       aggregate_id varchar, payload jsonb, actor jsonb, request_id varchar,
                       occurred_at timestamptz, attempts integer)
      LANGUAGE sql VOLATILE AS $$
        UPDATE outbox_event o
           SET next_attempt_at = now() + make_interval(secs => p_lease_ms::double precision / 1000),
               attempts = o.attempts + 1, claimed_by = p_claimed_by
         WHERE (o.company_id, o.id) IN (
                 SELECT d.company_id, d.id FROM outbox_event d
                  WHERE d.delivered_at IS NULL AND d.dead_lettered_at IS NULL AND d.next_attempt_at <= now()
                  ORDER BY d.position LIMIT p_limit FOR UPDATE SKIP LOCKED)
        RETURNING o.company_id, o.id, o.position, o.type, o.aggregate_type, o.aggregate_id, o.payload,
                  o.actor, o.request_id, o.occurred_at, o.attempts $$`,
  },
  {
    signature:
      'app_outbox_renew(p_company_ids uuid[], p_ids uuid[], p_lease_ms integer, p_claimed_by text)',
    body: `RETURNS void LANGUAGE sql VOLATILE AS $$
        UPDATE outbox_event o SET next_attempt_at = now() + make_interval(secs => p_lease_ms::double precision / 1000)
          FROM unnest(p_company_ids, p_ids) AS k(company_id, id)
         WHERE o.company_id = k.company_id AND o.id = k.id AND o.claimed_by = p_claimed_by
           AND o.delivered_at IS NULL AND o.dead_lettered_at IS NULL $$`,
  },
  {
    signature: 'app_outbox_mark_delivered(p_company_ids uuid[], p_ids uuid[], p_claimed_by text)',
    body: `RETURNS void LANGUAGE sql VOLATILE AS $$
        UPDATE outbox_event o SET delivered_at = now(), last_error = NULL
          FROM unnest(p_company_ids, p_ids) AS k(company_id, id)
         WHERE o.company_id = k.company_id AND o.id = k.id AND o.claimed_by = p_claimed_by
           AND o.delivered_at IS NULL $$`,
  },
  {
    signature:
      'app_outbox_retry_later(p_company_id uuid, p_id uuid, p_delay_ms integer, p_error text, p_claimed_by text)',
    body: `RETURNS void LANGUAGE sql VOLATILE AS $$
        UPDATE outbox_event SET next_attempt_at = now() + make_interval(secs => p_delay_ms::double precision / 1000),
               last_error = p_error
         WHERE company_id = p_company_id AND id = p_id AND claimed_by = p_claimed_by $$`,
  },
  {
    signature:
      'app_outbox_dead_letter(p_company_id uuid, p_id uuid, p_error text, p_claimed_by text)',
    body: `RETURNS void LANGUAGE sql VOLATILE AS $$
        UPDATE outbox_event SET dead_lettered_at = now(), last_error = p_error
         WHERE company_id = p_company_id AND id = p_id AND claimed_by = p_claimed_by $$`,
  },
  {
    // For the deployment's metrics and back-pressure: counts, never rows.
    signature: 'app_outbox_counts(OUT pending bigint, OUT dead_lettered bigint)',
    body: `LANGUAGE sql STABLE AS $$
        SELECT count(*) FILTER (WHERE delivered_at IS NULL AND dead_lettered_at IS NULL),
               count(*) FILTER (WHERE dead_lettered_at IS NOT NULL AND delivered_at IS NULL)
          FROM outbox_event WHERE delivered_at IS NULL $$`,
  },
  {
    signature: 'app_outbox_backlog_exceeds(p_limit integer)',
    body: `RETURNS boolean LANGUAGE sql STABLE AS $$
        SELECT EXISTS (SELECT 1 FROM outbox_event
                        WHERE delivered_at IS NULL AND dead_lettered_at IS NULL
                          AND (next_attempt_at <= now() OR last_error IS NULL)
                        OFFSET p_limit) $$`,
  },
  {
    // The certificate render queue: claims due requests of every company under a lease.
    signature: 'app_certificate_request_claim(p_limit integer, p_lease_ms integer)',
    body: `RETURNS TABLE (company_id uuid, issuance_id uuid, issued_at timestamptz, attempts integer,
                       actor jsonb, request_id varchar)
      LANGUAGE sql VOLATILE AS $$
        UPDATE certificate_request r
           SET next_attempt_at = now() + make_interval(secs => p_lease_ms::double precision / 1000),
               attempts = r.attempts + 1
         WHERE (r.company_id, r.issuance_id) IN (
                 SELECT d.company_id, d.issuance_id FROM certificate_request d
                  WHERE d.next_attempt_at <= now()
                  ORDER BY d.requested_at, d.issued_at, d.issuance_id
                  LIMIT p_limit FOR UPDATE SKIP LOCKED)
        RETURNING r.company_id, r.issuance_id, r.issued_at, r.attempts, r.actor, r.request_id $$`,
  },
  {
    signature: 'app_certificate_request_backlog()',
    body: `RETURNS bigint LANGUAGE sql STABLE AS $$ SELECT count(*) FROM certificate_request $$`,
  },
  {
    // The public check of a printed certificate: which company issued the code (nothing else).
    signature: 'app_certificate_company_by_code(p_code text)',
    body: `RETURNS uuid LANGUAGE sql STABLE AS $$
        SELECT company_id FROM certificate WHERE verification_code = p_code LIMIT 1 $$`,
  },
  {
    signature: 'app_idempotency_purge_expired()',
    body: `RETURNS bigint LANGUAGE sql VOLATILE AS $$
        WITH gone AS (DELETE FROM idempotency_key WHERE expires_at < now() RETURNING 1)
        SELECT count(*) FROM gone $$`,
  },
  {
    // The checkpoint scheduler: the companies whose chain head is beyond their last checkpoint.
    signature: 'app_audit_checkpoint_due()',
    body: `RETURNS SETOF uuid LANGUAGE sql STABLE AS $$
        SELECT co.id FROM company co
         WHERE (SELECT max(seq) FROM audit_entry e WHERE e.company_id = co.id)
               > coalesce((SELECT max(seq) FROM audit_checkpoint k WHERE k.company_id = co.id), 0) $$`,
  },
  {
    // Trigram search of the current company's audit log (LIKE is not LEAKPROOF, so under RLS
    // it could not use the index). Filters on app_company_id() itself.
    signature: 'app_audit_search(p_pattern text)',
    body: `RETURNS SETOF bigint LANGUAGE sql STABLE AS $$
        SELECT seq FROM audit_entry
         WHERE company_id = app_company_id() AND search_text LIKE p_pattern $$`,
  },
];

const name = (signature: string) => signature.slice(0, signature.indexOf('('));

export class CompanyIsolation1795300000000 implements MigrationInterface {
  name = 'CompanyIsolation1795300000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const q = (text: string) => queryRunner.query(text);
    await q(`
      CREATE FUNCTION app_company_id() RETURNS uuid LANGUAGE sql STABLE PARALLEL SAFE AS $$
        SELECT NULLIF(current_setting('app.company_id', true), '')::uuid
      $$`);
    await q(`COMMENT ON FUNCTION app_company_id() IS
      'The company of the current transaction (set_config(''app.company_id'', id, true)); NULL when unset'`);

    // The company: many of them; details empty until set up.
    await q(`DROP INDEX "uq_company_singleton"`);
    await q(`ALTER TABLE company DROP CONSTRAINT "ck_company_singleton"`);
    await q(`ALTER TABLE company DROP COLUMN singleton`);
    for (const column of COMPANY_DETAILS) {
      await q(`ALTER TABLE company ALTER COLUMN ${column} DROP NOT NULL`);
    }
    await q(`ALTER TABLE company ADD CONSTRAINT "ck_company_set_up"
               CHECK (num_nulls(${COMPANY_DETAILS.join(', ')}) IN (0, ${COMPANY_DETAILS.length}))`);
    await q(`INSERT INTO company (id, version) SELECT gen_random_uuid(), 0
              WHERE NOT EXISTS (SELECT 1 FROM company)`);
    await q(`CREATE INDEX "idx_company_created" ON company (created_at, id)`);

    for (const [table, constraint] of FOREIGN_KEYS) {
      await q(`ALTER TABLE "${table}" DROP CONSTRAINT "${constraint}"`);
    }
    for (const [, index] of INDEXES) await q(`DROP INDEX "${index}"`);
    for (const key of PRIMARY_KEYS) {
      await q(`ALTER TABLE "${key.table}" DROP CONSTRAINT "${key.name}"`);
    }

    // A constant default fills the existing rows without touching them (no UPDATE reaches the
    // append-only tables' triggers); then the default becomes the transaction's company.
    const [first] = (await queryRunner.query(FIRST_COMPANY_SQL)) as Array<{ id: string }>;
    if (!first) throw new Error('the first company is missing');
    for (const table of OWNED) {
      await q(`ALTER TABLE "${table}" ADD COLUMN company_id uuid NOT NULL DEFAULT '${first.id}'`);
      await q(`ALTER TABLE "${table}" ALTER COLUMN company_id SET DEFAULT app_company_id()`);
      await q(`ALTER TABLE "${table}" ADD CONSTRAINT "fk_${table}_company"
                 FOREIGN KEY (company_id) REFERENCES company (id) ON DELETE RESTRICT`);
    }

    for (const key of PRIMARY_KEYS) {
      await q(`ALTER TABLE "${key.table}" ADD CONSTRAINT "${key.name}" ${key.after}`);
    }
    for (const [table, index, unique, columns, where] of INDEXES) {
      await q(
        `CREATE ${unique ? 'UNIQUE ' : ''}INDEX "${index}" ON "${table}" (${c}${columns})${where ? ` WHERE ${where}` : ''}`,
      );
    }
    for (const [table, constraint, column, referenced, referencedColumn] of FOREIGN_KEYS) {
      await q(`ALTER TABLE "${table}" ADD CONSTRAINT "${constraint}"
                 FOREIGN KEY (company_id, ${column}) REFERENCES "${referenced}" (company_id, ${referencedColumn})
                 ON DELETE RESTRICT`);
    }

    for (const table of OWNED) {
      await q(`ALTER TABLE "${table}" ENABLE ROW LEVEL SECURITY`);
      await q(`CREATE POLICY company_isolation ON "${table}"
                 USING (company_id = app_company_id()) WITH CHECK (company_id = app_company_id())`);
    }
    await q(`ALTER TABLE company ENABLE ROW LEVEL SECURITY`);
    await q(`CREATE POLICY company_isolation ON company
               USING (id = app_company_id()) WITH CHECK (id = app_company_id())`);

    // Cache invalidations name the company: ids are only unique within one.
    await q(`
      CREATE OR REPLACE FUNCTION notify_read_cache() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_LEVEL = 'STATEMENT' THEN
          PERFORM pg_notify('read_cache', TG_TABLE_NAME || ':*');
        ELSE
          PERFORM pg_notify('read_cache', TG_TABLE_NAME || ':' || OLD.company_id::text || ':' || OLD.id::text);
        END IF;
        RETURN NULL;
      END
      $$`);
    await q(`
      CREATE OR REPLACE FUNCTION notify_read_cache_numbered() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('read_cache', 'issuance:' || NEW.company_id::text || ':' || NEW.issuance_id::text);
        RETURN NULL;
      END
      $$`);

    for (const { signature, body } of DEFINER_FUNCTIONS) {
      await q(`CREATE FUNCTION ${signature} ${body}`);
      await q(
        `ALTER FUNCTION ${name(signature)} SECURITY DEFINER SET search_path = pg_catalog, public`,
      );
      await q(`REVOKE ALL ON FUNCTION ${name(signature)} FROM PUBLIC`);
      await q(`GRANT EXECUTE ON FUNCTION ${name(signature)} TO corporate_os_app`);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    const q = (text: string) => queryRunner.query(text);
    const [{ n }] = (await queryRunner.query(`SELECT count(*)::int AS n FROM company`)) as Array<{
      n: number;
    }>;
    if (n > 1) throw new Error(`${n} companies cannot go back to a single-company schema`);
    for (const { signature } of DEFINER_FUNCTIONS) await q(`DROP FUNCTION ${name(signature)}`);
    await q(`
      CREATE OR REPLACE FUNCTION notify_read_cache_numbered() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('read_cache', 'issuance:' || NEW.issuance_id::text);
        RETURN NULL;
      END
      $$`);
    await q(`
      CREATE OR REPLACE FUNCTION notify_read_cache() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_LEVEL = 'STATEMENT' THEN
          PERFORM pg_notify('read_cache', TG_TABLE_NAME || ':*');
        ELSE
          PERFORM pg_notify('read_cache', TG_TABLE_NAME || ':' || OLD.id::text);
        END IF;
        RETURN NULL;
      END
      $$`);
    await q(`DROP POLICY company_isolation ON company`);
    await q(`ALTER TABLE company DISABLE ROW LEVEL SECURITY`);
    for (const table of OWNED) {
      await q(`DROP POLICY company_isolation ON "${table}"`);
      await q(`ALTER TABLE "${table}" DISABLE ROW LEVEL SECURITY`);
    }
    for (const [table, constraint] of FOREIGN_KEYS) {
      await q(`ALTER TABLE "${table}" DROP CONSTRAINT "${constraint}"`);
    }
    for (const [, index] of INDEXES) await q(`DROP INDEX "${index}"`);
    for (const key of PRIMARY_KEYS) {
      await q(`ALTER TABLE "${key.table}" DROP CONSTRAINT "${key.name}"`);
      await q(`ALTER TABLE "${key.table}" ADD CONSTRAINT "${key.name}" ${key.before}`);
    }
    for (const [table, index, unique, columns, where] of INDEXES) {
      await q(
        `CREATE ${unique ? 'UNIQUE ' : ''}INDEX "${index}" ON "${table}" (${columns})${where ? ` WHERE ${where}` : ''}`,
      );
    }
    for (const [table, constraint, column, referenced, referencedColumn] of FOREIGN_KEYS) {
      await q(`ALTER TABLE "${table}" ADD CONSTRAINT "${constraint}"
                 FOREIGN KEY (${column}) REFERENCES "${referenced}" (${referencedColumn}) ON DELETE RESTRICT`);
    }
    for (const table of OWNED) await q(`ALTER TABLE "${table}" DROP COLUMN company_id`);
    await q(`DROP INDEX "idx_company_created"`);
    await q(`DELETE FROM company WHERE legal_name IS NULL`);
    await q(`ALTER TABLE company DROP CONSTRAINT "ck_company_set_up"`);
    for (const column of COMPANY_DETAILS) {
      await q(`ALTER TABLE company ALTER COLUMN ${column} SET NOT NULL`);
    }
    await q(`ALTER TABLE company ADD COLUMN singleton boolean NOT NULL DEFAULT true`);
    await q(`ALTER TABLE company ADD CONSTRAINT "ck_company_singleton" CHECK (singleton)`);
    await q(`CREATE UNIQUE INDEX "uq_company_singleton" ON company (singleton)`);
    await q(`DROP FUNCTION app_company_id()`);
  }
}
