import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Splits (OCF TX_STOCK_CLASS_SPLIT), recorded as OCF records one: the class split itself
 * (`stock_class_split`, with the authorized shares before and after) and one reissuance of every
 * outstanding security of the class (`stock_transaction.split_transaction_id`) whose resulting
 * security carries the multiplied quantity.
 */
export class StockSplits1795340000000 implements MigrationInterface {
  name = 'StockSplits1795340000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const q = (text: string) => queryRunner.query(text);
    await q(`CREATE TABLE "stock_class_split" (
      "company_id" uuid NOT NULL DEFAULT app_company_id(),
      "id" uuid NOT NULL,
      "share_class_id" uuid NOT NULL,
      "date" date NOT NULL,
      "numerator" bigint NOT NULL,
      "denominator" bigint NOT NULL,
      "authorized_shares_before" bigint NOT NULL,
      "authorized_shares_after" bigint NOT NULL,
      "outstanding_before" bigint NOT NULL,
      "outstanding_after" bigint NOT NULL,
      "securities" integer NOT NULL,
      "fraction_price_per_share" numeric(30,10),
      "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "created_by_sub" character varying(255) NOT NULL,
      "created_by" character varying(255) NOT NULL,
      "request_id" character varying(128),
      CONSTRAINT "ck_stock_class_split_ratio" CHECK ("numerator" > 0 AND "denominator" > 0 AND "numerator" <> "denominator"),
      CONSTRAINT "ck_stock_class_split_within_authorized" CHECK ("outstanding_after" <= "authorized_shares_after"),
      CONSTRAINT "pk_stock_class_split" PRIMARY KEY ("company_id", "id"),
      CONSTRAINT "fk_stock_class_split_company" FOREIGN KEY ("company_id") REFERENCES "company"("id") ON DELETE RESTRICT,
      CONSTRAINT "fk_stock_class_split_share_class" FOREIGN KEY ("company_id", "share_class_id") REFERENCES "share_class"("company_id", "id") ON DELETE RESTRICT
    )`);
    await q(
      `CREATE INDEX "idx_stock_class_split_class" ON "stock_class_split" ("company_id", "share_class_id", "date")`,
    );
    await q(`ALTER TABLE "stock_class_split" ENABLE ROW LEVEL SECURITY`);
    await q(`CREATE POLICY company_isolation ON "stock_class_split"
               USING (company_id = app_company_id()) WITH CHECK (company_id = app_company_id())`);
    await q(`GRANT SELECT, INSERT ON TABLE "stock_class_split" TO corporate_os_app`);

    await q(`ALTER TABLE "stock_transaction"
      ADD "split_transaction_id" uuid,
      ADD CONSTRAINT "ck_stock_transaction_split_reissues" CHECK ("split_transaction_id" IS NULL OR "kind" = 'REISSUANCE'),
      ADD CONSTRAINT "fk_stock_transaction_split" FOREIGN KEY ("company_id", "split_transaction_id") REFERENCES "stock_class_split"("company_id", "id") ON DELETE RESTRICT`);
    await q(
      `CREATE INDEX "idx_stock_transaction_split" ON "stock_transaction" ("company_id", "split_transaction_id") WHERE split_transaction_id IS NOT NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    const q = (text: string) => queryRunner.query(text);
    const [{ splits }] = (await queryRunner.query(
      `SELECT count(*)::int AS splits FROM "stock_class_split"`,
    )) as Array<{ splits: number }>;
    if (splits > 0)
      throw new Error(`The ledger holds ${splits} splits; reverting would lose them.`);
    await q(`DROP INDEX "idx_stock_transaction_split"`);
    await q(`ALTER TABLE "stock_transaction"
      DROP CONSTRAINT "fk_stock_transaction_split",
      DROP CONSTRAINT "ck_stock_transaction_split_reissues",
      DROP COLUMN "split_transaction_id"`);
    await q(`DROP TABLE "stock_class_split"`);
  }
}
