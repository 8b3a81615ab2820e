import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Equity plans (OCF StockPlan, VestingTerms, EquityCompensationIssuance and its transactions),
 * owned by the equity-plans module.
 *
 * - `stock_plan`: the pool a plan grants from, in its share class. `shares_reserved` is the pool
 *   today (its initial reservation, then its dated `stock_plan_pool_adjustment`s);
 *   `committed_shares` what grants took from it and did not give back. A grant raises it only
 *   while it stays within the pool (the check is the backstop), so concurrent grants can never
 *   over-grant.
 * - `vesting_terms`: OCF VestingTerms as given (the conditions as JSON), or as stored for the
 *   shorthand (which is kept beside them).
 * - `equity_grant`: an option, RSU or SAR grant to a holder, with its vesting and what of it was
 *   exercised, released or cancelled (counters the service may raise, never lower: the
 *   transactions in `equity_grant_transaction` are the history, append-only).
 */
export class EquityPlans1795380000000 implements MigrationInterface {
  name = 'EquityPlans1795380000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const q = (text: string) => queryRunner.query(text);
    await q(`CREATE TABLE "stock_plan" (
      "company_id" uuid NOT NULL DEFAULT app_company_id(),
      "id" uuid NOT NULL,
      "name" character varying(200) NOT NULL,
      "share_class_id" uuid NOT NULL,
      "initial_shares_reserved" bigint NOT NULL,
      "shares_reserved" bigint NOT NULL,
      "committed_shares" bigint NOT NULL DEFAULT 0,
      "board_approval_date" date,
      "stockholder_approval_date" date,
      "default_cancellation_behavior" character varying(30) NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "created_by_sub" character varying(255) NOT NULL,
      "created_by" character varying(255) NOT NULL,
      CONSTRAINT "ck_stock_plan_reserved" CHECK ("initial_shares_reserved" > 0 AND "shares_reserved" > 0),
      CONSTRAINT "ck_stock_plan_committed_within_pool" CHECK ("committed_shares" >= 0 AND "committed_shares" <= "shares_reserved"),
      CONSTRAINT "ck_stock_plan_cancellation_behavior" CHECK ("default_cancellation_behavior" IN ('RETIRE', 'RETURN_TO_POOL', 'HOLD_AS_CAPITAL_STOCK', 'DEFINED_PER_PLAN_SECURITY')),
      CONSTRAINT "pk_stock_plan" PRIMARY KEY ("company_id", "id"),
      CONSTRAINT "fk_stock_plan_company" FOREIGN KEY ("company_id") REFERENCES "company"("id") ON DELETE RESTRICT,
      CONSTRAINT "fk_stock_plan_share_class" FOREIGN KEY ("company_id", "share_class_id") REFERENCES "share_class"("company_id", "id") ON DELETE RESTRICT
    )`);
    await q(`CREATE UNIQUE INDEX "uq_stock_plan_name" ON "stock_plan" ("company_id", "name")`);

    await q(`CREATE TABLE "stock_plan_pool_adjustment" (
      "company_id" uuid NOT NULL DEFAULT app_company_id(),
      "id" uuid NOT NULL,
      "stock_plan_id" uuid NOT NULL,
      "date" date NOT NULL,
      "shares_reserved" bigint NOT NULL,
      "previous_shares_reserved" bigint NOT NULL,
      "board_approval_date" date,
      "stockholder_approval_date" date,
      "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "created_by_sub" character varying(255) NOT NULL,
      "created_by" character varying(255) NOT NULL,
      "request_id" character varying(128),
      CONSTRAINT "ck_stock_plan_pool_adjustment_positive" CHECK ("shares_reserved" > 0 AND "previous_shares_reserved" > 0),
      CONSTRAINT "pk_stock_plan_pool_adjustment" PRIMARY KEY ("company_id", "id"),
      CONSTRAINT "fk_stock_plan_pool_adjustment_company" FOREIGN KEY ("company_id") REFERENCES "company"("id") ON DELETE RESTRICT,
      CONSTRAINT "fk_stock_plan_pool_adjustment_plan" FOREIGN KEY ("company_id", "stock_plan_id") REFERENCES "stock_plan"("company_id", "id") ON DELETE RESTRICT
    )`);
    await q(
      `CREATE UNIQUE INDEX "uq_stock_plan_pool_adjustment_date" ON "stock_plan_pool_adjustment" ("company_id", "stock_plan_id", "date")`,
    );

    await q(`CREATE TABLE "vesting_terms" (
      "company_id" uuid NOT NULL DEFAULT app_company_id(),
      "id" uuid NOT NULL,
      "name" character varying(200) NOT NULL,
      "description" text NOT NULL,
      "allocation_type" character varying(40) NOT NULL,
      "vesting_conditions" jsonb NOT NULL,
      "shorthand" jsonb,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "created_by_sub" character varying(255) NOT NULL,
      "created_by" character varying(255) NOT NULL,
      CONSTRAINT "ck_vesting_terms_allocation_type" CHECK ("allocation_type" IN ('CUMULATIVE_ROUNDING', 'CUMULATIVE_ROUND_DOWN', 'FRONT_LOADED', 'BACK_LOADED', 'FRONT_LOADED_TO_SINGLE_TRANCHE', 'BACK_LOADED_TO_SINGLE_TRANCHE', 'FRACTIONAL')),
      CONSTRAINT "pk_vesting_terms" PRIMARY KEY ("company_id", "id"),
      CONSTRAINT "fk_vesting_terms_company" FOREIGN KEY ("company_id") REFERENCES "company"("id") ON DELETE RESTRICT
    )`);

    await q(`CREATE TABLE "equity_grant" (
      "company_id" uuid NOT NULL DEFAULT app_company_id(),
      "id" uuid NOT NULL,
      "shareholder_id" uuid NOT NULL,
      "stock_plan_id" uuid NOT NULL,
      "compensation_type" character varying(20) NOT NULL,
      "quantity" bigint NOT NULL,
      "exercise_price" numeric(30,10),
      "currency" character(3),
      "grant_date" date NOT NULL,
      "vesting_terms_id" uuid,
      "vesting_start_date" date,
      "expiration_date" date,
      "early_exercise" boolean NOT NULL DEFAULT false,
      "termination_exercise_days" integer,
      "exercised_quantity" bigint NOT NULL DEFAULT 0,
      "released_quantity" bigint NOT NULL DEFAULT 0,
      "cancelled_quantity" bigint NOT NULL DEFAULT 0,
      "terminated_on" date,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "created_by_sub" character varying(255) NOT NULL,
      "created_by" character varying(255) NOT NULL,
      "request_id" character varying(128),
      CONSTRAINT "ck_equity_grant_compensation_type" CHECK ("compensation_type" IN ('OPTION_ISO', 'OPTION_NSO', 'RSU', 'CSAR', 'SSAR')),
      CONSTRAINT "ck_equity_grant_quantity_positive" CHECK ("quantity" > 0),
      CONSTRAINT "ck_equity_grant_spent_within_quantity" CHECK ("exercised_quantity" >= 0 AND "released_quantity" >= 0 AND "cancelled_quantity" >= 0 AND "exercised_quantity" + "released_quantity" + "cancelled_quantity" <= "quantity"),
      CONSTRAINT "ck_equity_grant_price" CHECK (("compensation_type" = 'RSU') = ("exercise_price" IS NULL) AND ("exercise_price" IS NULL) = ("currency" IS NULL) AND ("exercise_price" IS NULL OR "exercise_price" >= 0)),
      CONSTRAINT "ck_equity_grant_currency" CHECK ("currency" IS NULL OR "currency" ~ '^[A-Z]{3}$'),
      CONSTRAINT "ck_equity_grant_vesting" CHECK (("vesting_terms_id" IS NULL) = ("vesting_start_date" IS NULL)),
      CONSTRAINT "ck_equity_grant_termination_days" CHECK ("termination_exercise_days" IS NULL OR "termination_exercise_days" >= 0),
      CONSTRAINT "pk_equity_grant" PRIMARY KEY ("company_id", "id"),
      CONSTRAINT "fk_equity_grant_company" FOREIGN KEY ("company_id") REFERENCES "company"("id") ON DELETE RESTRICT,
      CONSTRAINT "fk_equity_grant_shareholder" FOREIGN KEY ("company_id", "shareholder_id") REFERENCES "shareholder"("company_id", "id") ON DELETE RESTRICT,
      CONSTRAINT "fk_equity_grant_plan" FOREIGN KEY ("company_id", "stock_plan_id") REFERENCES "stock_plan"("company_id", "id") ON DELETE RESTRICT,
      CONSTRAINT "fk_equity_grant_vesting_terms" FOREIGN KEY ("company_id", "vesting_terms_id") REFERENCES "vesting_terms"("company_id", "id") ON DELETE RESTRICT
    )`);
    await q(
      `CREATE INDEX "idx_equity_grant_shareholder" ON "equity_grant" ("company_id", "shareholder_id")`,
    );
    await q(
      `CREATE INDEX "idx_equity_grant_plan" ON "equity_grant" ("company_id", "stock_plan_id")`,
    );

    await q(`CREATE TABLE "equity_grant_transaction" (
      "company_id" uuid NOT NULL DEFAULT app_company_id(),
      "id" uuid NOT NULL,
      "grant_id" uuid NOT NULL,
      "kind" character varying(30) NOT NULL,
      "date" date NOT NULL,
      "quantity" bigint,
      "condition_id" character varying(200),
      "reason" text,
      "resulting_security_id" uuid,
      "total_amount" numeric(52,10),
      "unvested_quantity" bigint,
      "returned_to_pool" bigint NOT NULL DEFAULT 0,
      "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "created_by_sub" character varying(255) NOT NULL,
      "created_by" character varying(255) NOT NULL,
      "request_id" character varying(128),
      CONSTRAINT "ck_equity_grant_transaction_kind" CHECK ("kind" IN ('EXERCISE', 'RELEASE', 'CANCELLATION', 'TERMINATION', 'EXPIRATION', 'VESTING_EVENT', 'VESTING_ACCELERATION')),
      CONSTRAINT "ck_equity_grant_transaction_quantity" CHECK ("quantity" IS NULL OR "quantity" >= 0),
      CONSTRAINT "ck_equity_grant_transaction_returned" CHECK ("returned_to_pool" >= 0),
      CONSTRAINT "pk_equity_grant_transaction" PRIMARY KEY ("company_id", "id"),
      CONSTRAINT "fk_equity_grant_transaction_company" FOREIGN KEY ("company_id") REFERENCES "company"("id") ON DELETE RESTRICT,
      CONSTRAINT "fk_equity_grant_transaction_grant" FOREIGN KEY ("company_id", "grant_id") REFERENCES "equity_grant"("company_id", "id") ON DELETE RESTRICT,
      CONSTRAINT "fk_equity_grant_transaction_security" FOREIGN KEY ("company_id", "resulting_security_id") REFERENCES "issuance"("company_id", "id") ON DELETE RESTRICT
    )`);
    await q(
      `CREATE INDEX "idx_equity_grant_transaction_grant" ON "equity_grant_transaction" ("company_id", "grant_id", "date")`,
    );

    for (const table of TABLES) {
      await q(`ALTER TABLE "${table}" ENABLE ROW LEVEL SECURITY`);
      await q(`CREATE POLICY company_isolation ON "${table}"
                 USING (company_id = app_company_id()) WITH CHECK (company_id = app_company_id())`);
      await q(`GRANT SELECT, INSERT ON TABLE "${table}" TO corporate_os_app`);
    }
    await q(`GRANT UPDATE ("name", "board_approval_date", "stockholder_approval_date", "default_cancellation_behavior",
                           "shares_reserved", "committed_shares", "updated_at") ON TABLE "stock_plan" TO corporate_os_app`);
    await q(`GRANT UPDATE ("exercised_quantity", "released_quantity", "cancelled_quantity", "terminated_on")
               ON TABLE "equity_grant" TO corporate_os_app`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    const [{ grants }] = (await queryRunner.query(
      `SELECT count(*)::int AS grants FROM "equity_grant"`,
    )) as Array<{ grants: number }>;
    if (grants > 0)
      throw new Error(`The equity plans hold ${grants} grants; reverting would lose them.`);
    for (const table of [...TABLES].reverse()) await queryRunner.query(`DROP TABLE "${table}"`);
  }
}

const TABLES = [
  'stock_plan',
  'stock_plan_pool_adjustment',
  'vesting_terms',
  'equity_grant',
  'equity_grant_transaction',
];
