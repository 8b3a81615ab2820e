import { MigrationInterface, QueryRunner } from 'typeorm';

/** Every table whose rows an OCF package names: each row may keep the OCF `id` it came in with. */
const OCF_TABLES = [
  'shareholder',
  'share_class',
  'issuance',
  'stock_transaction',
  'stock_class_split',
  'conversion_ratio_adjustment',
  'authorized_shares_adjustment',
  'company_authorized_shares_adjustment',
  'stock_plan',
  'stock_plan_pool_adjustment',
  'vesting_terms',
  'equity_grant',
  'equity_grant_transaction',
] as const;

/** Tables whose rows are also securities: the OCF `security_id` is kept beside the object id. */
const SECURITY_TABLES = ['issuance', 'equity_grant'] as const;

/**
 * OCF ids (issue: Open Cap Format in and out).
 *
 * - `ocf_id` (and for securities `ocf_security_id`) on every table an OCF package names: an object
 *   that came in through an import keeps its OCF id, and the export uses it; an object created
 *   here has none and is exported under its own UUID. Unique per company. The service may set
 *   them once (NULL to a value, in the import that created the row), never change them: a trigger
 *   refuses any other change, so the ledger's append-only tables stay append-only in substance.
 *   The company keeps its issuer's OCF id the same way.
 * - `ocf_retained_object`, owned by the ocf module: OCF objects the service keeps as they came
 *   and exports again unchanged (valuations; acceptances, which change no position). Append-only.
 */
export class OcfIds1795390000000 implements MigrationInterface {
  name = 'OcfIds1795390000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const q = (text: string) => queryRunner.query(text);
    await q(`CREATE FUNCTION app_ocf_ids_set_once() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.ocf_id IS NOT NULL AND NEW.ocf_id IS DISTINCT FROM OLD.ocf_id THEN
          RAISE EXCEPTION 'the OCF id of % % is set once', TG_TABLE_NAME, OLD.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'ck_ocf_id_set_once';
        END IF;
        RETURN NEW;
      END $$`);
    await q(`CREATE FUNCTION app_ocf_security_ids_set_once() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.ocf_security_id IS NOT NULL AND NEW.ocf_security_id IS DISTINCT FROM OLD.ocf_security_id THEN
          RAISE EXCEPTION 'the OCF security id of % % is set once', TG_TABLE_NAME, OLD.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'ck_ocf_id_set_once';
        END IF;
        RETURN NEW;
      END $$`);
    for (const table of [...OCF_TABLES, 'company']) {
      await q(`ALTER TABLE "${table}" ADD "ocf_id" character varying(200)`);
      await q(`GRANT UPDATE ("ocf_id") ON TABLE "${table}" TO corporate_os_app`);
      await q(`CREATE TRIGGER "trg_${table}_ocf_id" BEFORE UPDATE OF "ocf_id" ON "${table}"
                 FOR EACH ROW EXECUTE FUNCTION app_ocf_ids_set_once()`);
    }
    for (const table of OCF_TABLES)
      await q(`CREATE UNIQUE INDEX "uq_${table}_ocf_id" ON "${table}" ("company_id", "ocf_id")
                 WHERE "ocf_id" IS NOT NULL`);
    for (const table of SECURITY_TABLES) {
      await q(`ALTER TABLE "${table}" ADD "ocf_security_id" character varying(200)`);
      await q(`GRANT UPDATE ("ocf_security_id") ON TABLE "${table}" TO corporate_os_app`);
      await q(`CREATE TRIGGER "trg_${table}_ocf_security_id" BEFORE UPDATE OF "ocf_security_id"
                 ON "${table}" FOR EACH ROW EXECUTE FUNCTION app_ocf_security_ids_set_once()`);
      await q(`CREATE UNIQUE INDEX "uq_${table}_ocf_security_id" ON "${table}" ("company_id", "ocf_security_id")
                 WHERE "ocf_security_id" IS NOT NULL`);
    }
    // The export pages through securities and transactions by the id it gives them.
    for (const table of ['issuance', 'stock_transaction'])
      await q(
        `CREATE INDEX "idx_${table}_ocf_ref" ON "${table}" ("company_id", (coalesce("ocf_id", "id"::text)))`,
      );
    await q(`CREATE TABLE "ocf_retained_object" (
      "company_id" uuid NOT NULL DEFAULT app_company_id(),
      "id" uuid NOT NULL,
      "ocf_id" character varying(200) NOT NULL,
      "object_type" character varying(80) NOT NULL,
      "file_type" character varying(80) NOT NULL,
      "position" integer NOT NULL,
      "object" jsonb NOT NULL,
      "imported_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "pk_ocf_retained_object" PRIMARY KEY ("company_id", "id"),
      CONSTRAINT "fk_ocf_retained_object_company" FOREIGN KEY ("company_id") REFERENCES "company"("id") ON DELETE RESTRICT
    )`);
    await q(
      `CREATE UNIQUE INDEX "uq_ocf_retained_object_ocf_id" ON "ocf_retained_object" ("company_id", "object_type", "ocf_id")`,
    );
    await q(`ALTER TABLE "ocf_retained_object" ENABLE ROW LEVEL SECURITY`);
    await q(`CREATE POLICY company_isolation ON "ocf_retained_object"
               USING (company_id = app_company_id()) WITH CHECK (company_id = app_company_id())`);
    await q(`GRANT SELECT, INSERT ON TABLE "ocf_retained_object" TO corporate_os_app`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    const q = (text: string) => queryRunner.query(text);
    await q(`DROP TABLE "ocf_retained_object"`);
    for (const table of ['issuance', 'stock_transaction'])
      await q(`DROP INDEX "idx_${table}_ocf_ref"`);
    for (const table of SECURITY_TABLES) {
      await q(`DROP TRIGGER "trg_${table}_ocf_security_id" ON "${table}"`);
      await q(`DROP INDEX "uq_${table}_ocf_security_id"`);
      await q(`ALTER TABLE "${table}" DROP COLUMN "ocf_security_id"`);
    }
    for (const table of OCF_TABLES) await q(`DROP INDEX "uq_${table}_ocf_id"`);
    for (const table of [...OCF_TABLES, 'company']) {
      await q(`DROP TRIGGER "trg_${table}_ocf_id" ON "${table}"`);
      await q(`ALTER TABLE "${table}" DROP COLUMN "ocf_id"`);
    }
    await q(`DROP FUNCTION app_ocf_security_ids_set_once()`);
    await q(`DROP FUNCTION app_ocf_ids_set_once()`);
  }
}
