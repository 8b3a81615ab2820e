import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Conversions (OCF TX_STOCK_CONVERSION): a share class may convert into another at a ratio
 * (numerator / denominator new shares per share, 1/1 by default), changed from a date on by a
 * dated adjustment (OCF StockClassConversionRatioAdjustment). A conversion spends the security;
 * its resulting security holds the whole new shares, and the fraction left over is recorded
 * exactly (numerator over denominator) with the cash it is paid out at.
 */
export class StockConversions1795330000000 implements MigrationInterface {
  name = 'StockConversions1795330000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const q = (text: string) => queryRunner.query(text);
    await q(`ALTER TABLE "share_class"
      ADD "converts_to_share_class_id" uuid,
      ADD "conversion_numerator" bigint NOT NULL DEFAULT 1,
      ADD "conversion_denominator" bigint NOT NULL DEFAULT 1,
      ADD CONSTRAINT "ck_share_class_conversion_ratio" CHECK ("conversion_numerator" > 0 AND "conversion_denominator" > 0),
      ADD CONSTRAINT "ck_share_class_converts_elsewhere" CHECK ("converts_to_share_class_id" IS NULL OR "converts_to_share_class_id" <> "id"),
      ADD CONSTRAINT "fk_share_class_converts_to" FOREIGN KEY ("company_id", "converts_to_share_class_id") REFERENCES "share_class"("company_id", "id") ON DELETE RESTRICT`);

    await q(`CREATE TABLE "conversion_ratio_adjustment" (
      "company_id" uuid NOT NULL DEFAULT app_company_id(),
      "id" uuid NOT NULL,
      "share_class_id" uuid NOT NULL,
      "date" date NOT NULL,
      "numerator" bigint NOT NULL,
      "denominator" bigint NOT NULL,
      "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "created_by_sub" character varying(255) NOT NULL,
      "created_by" character varying(255) NOT NULL,
      "request_id" character varying(128),
      CONSTRAINT "ck_conversion_ratio_adjustment_ratio" CHECK ("numerator" > 0 AND "denominator" > 0),
      CONSTRAINT "pk_conversion_ratio_adjustment" PRIMARY KEY ("company_id", "id"),
      CONSTRAINT "fk_conversion_ratio_adjustment_company" FOREIGN KEY ("company_id") REFERENCES "company"("id") ON DELETE RESTRICT,
      CONSTRAINT "fk_conversion_ratio_adjustment_share_class" FOREIGN KEY ("company_id", "share_class_id") REFERENCES "share_class"("company_id", "id") ON DELETE RESTRICT
    )`);
    await q(
      `CREATE UNIQUE INDEX "uq_conversion_ratio_adjustment_date" ON "conversion_ratio_adjustment" ("company_id", "share_class_id", "date")`,
    );
    await q(`ALTER TABLE "conversion_ratio_adjustment" ENABLE ROW LEVEL SECURITY`);
    await q(`CREATE POLICY company_isolation ON "conversion_ratio_adjustment"
               USING (company_id = app_company_id()) WITH CHECK (company_id = app_company_id())`);
    await q(`GRANT SELECT, INSERT ON TABLE "conversion_ratio_adjustment" TO corporate_os_app`);

    await q(`ALTER TABLE "stock_transaction" DROP CONSTRAINT "ck_stock_transaction_kind"`);
    await q(`ALTER TABLE "stock_transaction"
      ADD CONSTRAINT "ck_stock_transaction_kind" CHECK ("kind" IN ('TRANSFER', 'CANCELLATION', 'REPURCHASE', 'REISSUANCE', 'CONVERSION')),
      ADD "conversion_numerator" bigint,
      ADD "conversion_denominator" bigint,
      ADD "fraction_numerator" bigint,
      ADD "fraction_denominator" bigint,
      ADD "fraction_price_per_share" numeric(30,10),
      ADD "fraction_cash_amount" numeric(52,10),
      ADD CONSTRAINT "ck_stock_transaction_conversion" CHECK (("kind" = 'CONVERSION') = ("conversion_numerator" IS NOT NULL) AND ("conversion_numerator" IS NULL) = ("conversion_denominator" IS NULL) AND ("conversion_numerator" IS NULL OR ("conversion_numerator" > 0 AND "conversion_denominator" > 0))),
      ADD CONSTRAINT "ck_stock_transaction_fraction" CHECK (("fraction_numerator" IS NULL) = ("fraction_denominator" IS NULL) AND ("fraction_numerator" IS NULL) = ("fraction_cash_amount" IS NULL) AND ("fraction_numerator" IS NULL OR ("fraction_numerator" > 0 AND "fraction_numerator" < "fraction_denominator" AND "fraction_price_per_share" >= 0)))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    const q = (text: string) => queryRunner.query(text);
    const [{ conversions }] = (await queryRunner.query(
      `SELECT count(*)::int AS conversions FROM "stock_transaction" WHERE kind = 'CONVERSION'`,
    )) as Array<{ conversions: number }>;
    if (conversions > 0)
      throw new Error(`The ledger holds ${conversions} conversions; reverting would lose them.`);
    await q(`ALTER TABLE "stock_transaction"
      DROP CONSTRAINT "ck_stock_transaction_fraction",
      DROP CONSTRAINT "ck_stock_transaction_conversion",
      DROP COLUMN "fraction_cash_amount", DROP COLUMN "fraction_price_per_share",
      DROP COLUMN "fraction_denominator", DROP COLUMN "fraction_numerator",
      DROP COLUMN "conversion_denominator", DROP COLUMN "conversion_numerator",
      DROP CONSTRAINT "ck_stock_transaction_kind"`);
    await q(`ALTER TABLE "stock_transaction"
      ADD CONSTRAINT "ck_stock_transaction_kind" CHECK ("kind" IN ('TRANSFER', 'CANCELLATION', 'REPURCHASE', 'REISSUANCE'))`);
    await q(`DROP TABLE "conversion_ratio_adjustment"`);
    await q(`ALTER TABLE "share_class"
      DROP CONSTRAINT "fk_share_class_converts_to",
      DROP CONSTRAINT "ck_share_class_converts_elsewhere",
      DROP CONSTRAINT "ck_share_class_conversion_ratio",
      DROP COLUMN "conversion_denominator", DROP COLUMN "conversion_numerator",
      DROP COLUMN "converts_to_share_class_id"`);
  }
}
