import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Authorized shares hold on every date, whoever writes.
 *
 * - The company's own authorized shares (OCF Issuer `initial_shares_authorized` and
 *   IssuerAuthorizedSharesAdjustment): `company.authorized_shares` (NULL: no company-wide limit,
 *   OCF NOT APPLICABLE) and their dated history, `company_authorized_shares_adjustment`.
 * - `app_class_authorized_exceeded(class, from)` and `app_company_authorized_exceeded(from)`: the
 *   first day on or after `from` on which the class (the company, all classes together) had more
 *   shares outstanding than authorized on that day (the value that the first later change found,
 *   else today's), checking every day on which a security was issued or spent and every day the
 *   authorized shares changed.
 * - Triggers that refuse, as check violations naming `ck_share_class_authorized_on_every_date` or
 *   `ck_company_authorized_shares`: a class total raised above the company's authorized shares
 *   (under the company row's lock, so concurrent raises in different classes queue); and a
 *   security issued, or made outstanding again, on a date before a later change of the class's
 *   or the company's authorized shares, when that date or a later one would exceed them. Writes
 *   dated after every change (the common case) cost three index lookups.
 */
export class AuthorizedSharesOnEveryDate1795370000000 implements MigrationInterface {
  name = 'AuthorizedSharesOnEveryDate1795370000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const q = (text: string) => queryRunner.query(text);
    await q(`ALTER TABLE "company" ADD "authorized_shares" bigint,
               ADD CONSTRAINT "ck_company_authorized_positive" CHECK ("authorized_shares" IS NULL OR "authorized_shares" > 0)`);
    await q(`CREATE TABLE "company_authorized_shares_adjustment" (
      "company_id" uuid NOT NULL DEFAULT app_company_id(),
      "id" uuid NOT NULL,
      "date" date NOT NULL,
      "authorized_shares" bigint NOT NULL,
      "previous_authorized_shares" bigint,
      "board_approval_date" date,
      "stockholder_approval_date" date,
      "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "created_by_sub" character varying(255) NOT NULL,
      "created_by" character varying(255) NOT NULL,
      "request_id" character varying(128),
      CONSTRAINT "ck_company_authorized_shares_adjustment_positive" CHECK ("authorized_shares" > 0 AND ("previous_authorized_shares" IS NULL OR "previous_authorized_shares" > 0)),
      CONSTRAINT "pk_company_authorized_shares_adjustment" PRIMARY KEY ("company_id", "id"),
      CONSTRAINT "fk_company_authorized_shares_adjustment_company" FOREIGN KEY ("company_id") REFERENCES "company"("id") ON DELETE RESTRICT
    )`);
    await q(
      `CREATE UNIQUE INDEX "uq_company_authorized_shares_adjustment_date" ON "company_authorized_shares_adjustment" ("company_id", "date")`,
    );
    await q(`ALTER TABLE "company_authorized_shares_adjustment" ENABLE ROW LEVEL SECURITY`);
    await q(`CREATE POLICY company_isolation ON "company_authorized_shares_adjustment"
               USING (company_id = app_company_id()) WITH CHECK (company_id = app_company_id())`);
    await q(
      `GRANT SELECT, INSERT ON TABLE "company_authorized_shares_adjustment" TO corporate_os_app`,
    );
    await q(CLASS_EXCEEDED);
    await q(COMPANY_EXCEEDED);
    await q(CHECK_FROM);
    await q(ON_ISSUANCE);
    await q(`CREATE TRIGGER "tr_issuance_authorized_on_every_date"
               AFTER INSERT OR UPDATE OF "spent_on" ON "issuance"
               FOR EACH ROW EXECUTE FUNCTION app_issuance_authorized_on_every_date()`);
    await q(ON_CLASS_TOTAL);
    await q(`CREATE TRIGGER "tr_share_class_company_authorized"
               AFTER UPDATE OF "issued_shares" ON "share_class"
               FOR EACH ROW WHEN (NEW.issued_shares > OLD.issued_shares)
               EXECUTE FUNCTION app_share_class_company_authorized()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    const q = (text: string) => queryRunner.query(text);
    await q(`DROP TRIGGER "tr_share_class_company_authorized" ON "share_class"`);
    await q(`DROP FUNCTION app_share_class_company_authorized()`);
    await q(`DROP TRIGGER "tr_issuance_authorized_on_every_date" ON "issuance"`);
    await q(`DROP FUNCTION app_issuance_authorized_on_every_date()`);
    await q(`DROP FUNCTION app_check_authorized_from(uuid, uuid, date)`);
    await q(`DROP FUNCTION app_company_authorized_exceeded(uuid, date)`);
    await q(`DROP FUNCTION app_class_authorized_exceeded(uuid, uuid, date)`);
    await q(`DROP TABLE "company_authorized_shares_adjustment"`);
    await q(`ALTER TABLE "company" DROP CONSTRAINT "ck_company_authorized_positive",
               DROP COLUMN "authorized_shares"`);
  }
}

const CLASS_EXCEEDED = `
CREATE FUNCTION app_class_authorized_exceeded(p_company uuid, p_class uuid, p_from date)
RETURNS TABLE (day date, outstanding numeric, authorized bigint)
LANGUAGE sql STABLE AS $$
  WITH changes AS (
    SELECT date, recorded_at, authorized_shares_before AS before
      FROM stock_class_split WHERE company_id = p_company AND share_class_id = p_class
    UNION ALL
    SELECT date, recorded_at, previous_authorized_shares
      FROM authorized_shares_adjustment WHERE company_id = p_company AND share_class_id = p_class
  ), deltas AS (
    SELECT date AS day, number_of_shares AS delta FROM issuance
     WHERE company_id = p_company AND share_class_id = p_class
    UNION ALL
    SELECT spent_on, -number_of_shares FROM issuance
     WHERE company_id = p_company AND share_class_id = p_class AND spent_on IS NOT NULL
    UNION ALL
    SELECT date, 0 FROM changes
  ), running AS (
    SELECT d.day, sum(sum(d.delta)) OVER (ORDER BY d.day) AS outstanding FROM deltas d GROUP BY d.day
  ), limited AS (
    SELECT r.day, r.outstanding,
           coalesce((SELECT c.before FROM changes c WHERE c.date > r.day ORDER BY c.date, c.recorded_at LIMIT 1),
                    (SELECT s.authorized_shares FROM share_class s WHERE s.company_id = p_company AND s.id = p_class)) AS authorized
      FROM running r WHERE r.day >= p_from
  )
  SELECT l.day, l.outstanding, l.authorized FROM limited l
   WHERE l.outstanding > l.authorized ORDER BY l.day LIMIT 1
$$`;

const COMPANY_EXCEEDED = `
CREATE FUNCTION app_company_authorized_exceeded(p_company uuid, p_from date)
RETURNS TABLE (day date, outstanding numeric, authorized bigint)
LANGUAGE sql STABLE AS $$
  WITH changes AS (
    SELECT date, recorded_at, previous_authorized_shares AS before
      FROM company_authorized_shares_adjustment WHERE company_id = p_company
  ), deltas AS (
    SELECT date AS day, number_of_shares AS delta FROM issuance WHERE company_id = p_company
    UNION ALL
    SELECT spent_on, -number_of_shares FROM issuance WHERE company_id = p_company AND spent_on IS NOT NULL
    UNION ALL
    SELECT date, 0 FROM changes
  ), running AS (
    SELECT d.day, sum(sum(d.delta)) OVER (ORDER BY d.day) AS outstanding FROM deltas d GROUP BY d.day
  ), limited AS (
    SELECT r.day, r.outstanding,
           CASE WHEN EXISTS (SELECT 1 FROM changes c WHERE c.date > r.day)
                THEN (SELECT c.before FROM changes c WHERE c.date > r.day ORDER BY c.date, c.recorded_at LIMIT 1)
                ELSE (SELECT authorized_shares FROM company WHERE id = p_company) END AS authorized
      FROM running r WHERE r.day >= p_from
  )
  SELECT l.day, l.outstanding, l.authorized FROM limited l
   WHERE l.authorized IS NOT NULL AND l.outstanding > l.authorized ORDER BY l.day LIMIT 1
$$`;

/** Raises the check violation when the class or the company is exceeded from `p_from` on. */
const CHECK_FROM = `
CREATE FUNCTION app_check_authorized_from(p_company uuid, p_class uuid, p_from date) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  hit record;
BEGIN
  IF EXISTS (SELECT 1 FROM authorized_shares_adjustment
              WHERE company_id = p_company AND share_class_id = p_class AND date > p_from)
     OR EXISTS (SELECT 1 FROM stock_class_split
                 WHERE company_id = p_company AND share_class_id = p_class AND date > p_from) THEN
    SELECT * INTO hit FROM app_class_authorized_exceeded(p_company, p_class, p_from);
    IF FOUND THEN
      RAISE EXCEPTION 'share class % would have % shares outstanding on %, beyond the % it had authorized that day',
        p_class, hit.outstanding, hit.day, hit.authorized
        USING ERRCODE = 'check_violation', CONSTRAINT = 'ck_share_class_authorized_on_every_date';
    END IF;
  END IF;
  IF EXISTS (SELECT 1 FROM company_authorized_shares_adjustment
              WHERE company_id = p_company AND date > p_from) THEN
    SELECT * INTO hit FROM app_company_authorized_exceeded(p_company, p_from);
    IF FOUND THEN
      RAISE EXCEPTION 'the company would have % shares outstanding on %, beyond the % it had authorized that day',
        hit.outstanding, hit.day, hit.authorized
        USING ERRCODE = 'check_violation', CONSTRAINT = 'ck_company_authorized_shares';
    END IF;
  END IF;
END $$`;

/** A security issued on a date, or outstanding again from the date it had been spent on. */
const ON_ISSUANCE = `
CREATE FUNCTION app_issuance_authorized_on_every_date() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM app_check_authorized_from(NEW.company_id, NEW.share_class_id, NEW.date);
  ELSIF OLD.spent_on IS NOT NULL AND (NEW.spent_on IS NULL OR NEW.spent_on > OLD.spent_on) THEN
    PERFORM app_check_authorized_from(NEW.company_id, NEW.share_class_id, OLD.spent_on);
  END IF;
  RETURN NULL;
END $$`;

/** Today's total of every class within the company's authorized shares, under the company lock. */
const ON_CLASS_TOTAL = `
CREATE FUNCTION app_share_class_company_authorized() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  limit_shares bigint;
  total numeric;
BEGIN
  SELECT authorized_shares INTO limit_shares FROM company
   WHERE id = NEW.company_id AND authorized_shares IS NOT NULL FOR UPDATE;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  SELECT sum(issued_shares) INTO total FROM share_class WHERE company_id = NEW.company_id;
  IF total > limit_shares THEN
    RAISE EXCEPTION 'the company would have % shares outstanding, beyond its % authorized shares', total, limit_shares
      USING ERRCODE = 'check_violation', CONSTRAINT = 'ck_company_authorized_shares';
  END IF;
  RETURN NULL;
END $$`;
