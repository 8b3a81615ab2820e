import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Grants with their own vesting tranches, and expirations recorded (owned by the equity-plans
 * module).
 *
 * - `equity_grant.vesting_tranches`: OCF `vestings` of an EquityCompensationIssuance, as
 *   `[{date, quantity}]`, instead of vesting terms. `app_equity_grant_tranches_valid` is the
 *   backstop of the service's checks: a non-empty array of positive whole quantities that add up
 *   to the grant, on strictly increasing dates none before the grant date.
 * - `equity_grant.expired_on`: set once, with the EXPIRATION transaction that records the
 *   unexercised rest of a grant whose exercise window closed (the day after its last day).
 *   `uq_equity_grant_transaction_expiration` allows one such transaction per grant, whoever
 *   records it (the sweep, or a read or write of the grant).
 * - `app_equity_grant_expiry_due(today)`: the sweep's list of the companies that have such a grant
 *   not recorded yet (SECURITY DEFINER: it sees across companies, and answers ids only).
 */
export class GrantExpiryAndTranches1795400000000 implements MigrationInterface {
  name = 'GrantExpiryAndTranches1795400000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const q = (text: string) => queryRunner.query(text);
    await q(`CREATE FUNCTION app_equity_grant_tranches_valid(p_tranches jsonb, p_quantity bigint, p_grant_date date)
      RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
        SELECT CASE
          WHEN jsonb_typeof(p_tranches) <> 'array' OR jsonb_array_length(p_tranches) = 0 THEN false
          WHEN EXISTS (SELECT 1 FROM jsonb_array_elements(p_tranches) e
                        WHERE jsonb_typeof(e) <> 'object' OR jsonb_typeof(e -> 'quantity') <> 'number'
                           OR (e ->> 'quantity') !~ '^[1-9][0-9]{0,17}$'
                           OR coalesce(e ->> 'date', '') !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$') THEN false
          ELSE (SELECT sum((e ->> 'quantity')::bigint) = p_quantity
                       AND bool_and((e ->> 'date')::date >= p_grant_date)
                       AND bool_and(i = 1 OR (e ->> 'date') > (p_tranches -> (i::int - 2) ->> 'date'))
                  FROM jsonb_array_elements(p_tranches) WITH ORDINALITY AS x(e, i))
        END $$`);
    await q(`ALTER TABLE "equity_grant"
      ADD "vesting_tranches" jsonb,
      ADD "expired_on" date,
      ADD CONSTRAINT "ck_equity_grant_vesting_tranches" CHECK ("vesting_tranches" IS NULL OR ("vesting_terms_id" IS NULL AND app_equity_grant_tranches_valid("vesting_tranches", "quantity", "grant_date")))`);
    await q(`GRANT UPDATE ("expired_on") ON TABLE "equity_grant" TO corporate_os_app`);
    await q(`CREATE UNIQUE INDEX "uq_equity_grant_transaction_expiration" ON "equity_grant_transaction" ("company_id", "grant_id")
               WHERE kind = 'EXPIRATION'`);
    await q(`CREATE FUNCTION app_equity_grant_expiry_due(p_today date) RETURNS SETOF uuid
      LANGUAGE sql STABLE AS $$
        SELECT DISTINCT company_id FROM equity_grant
         WHERE expired_on IS NULL
           AND quantity > exercised_quantity + released_quantity + cancelled_quantity
           AND least(coalesce(expiration_date, 'infinity'::date),
                     coalesce(terminated_on + coalesce(termination_exercise_days, 0), 'infinity'::date)) < p_today $$`);
    await q(
      `ALTER FUNCTION app_equity_grant_expiry_due SECURITY DEFINER SET search_path = pg_catalog, public`,
    );
    for (const fn of ['app_equity_grant_tranches_valid', 'app_equity_grant_expiry_due']) {
      await q(`REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC`);
      await q(`GRANT EXECUTE ON FUNCTION ${fn} TO corporate_os_app`);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    const q = (text: string) => queryRunner.query(text);
    const [{ kept }] = (await queryRunner.query(
      `SELECT ((SELECT count(*) FROM "equity_grant" WHERE "vesting_tranches" IS NOT NULL)
             + (SELECT count(*) FROM "equity_grant_transaction" WHERE "kind" = 'EXPIRATION'))::int AS kept`,
    )) as Array<{ kept: number }>;
    if (kept > 0)
      throw new Error(
        `${kept} grants with their own tranches or recorded expirations; reverting would lose them.`,
      );
    await q(`DROP FUNCTION app_equity_grant_expiry_due`);
    await q(`DROP INDEX "uq_equity_grant_transaction_expiration"`);
    await q(`REVOKE UPDATE ("expired_on") ON TABLE "equity_grant" FROM corporate_os_app`);
    await q(`ALTER TABLE "equity_grant"
      DROP CONSTRAINT "ck_equity_grant_vesting_tranches",
      DROP COLUMN "expired_on",
      DROP COLUMN "vesting_tranches"`);
    await q(`DROP FUNCTION app_equity_grant_tranches_valid`);
  }
}
