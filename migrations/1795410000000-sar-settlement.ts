import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The settlement of stock appreciation rights on exercise (owned by the equity-plans module).
 *
 * - `equity_grant_transaction.fair_market_value` (a price per share, like `exercise_price`),
 *   `settled_shares` and `cash_amount`: a SAR exercise's fair market value, the whole shares it
 *   delivered (an SSAR's, issued as `resulting_security_id`; 0 for a CSAR or an SSAR worth less
 *   than a share) and the appreciation paid in cash. All three or none, on an EXERCISE only,
 *   without `total_amount` (the holder of a SAR pays nothing), with an issuance exactly when
 *   shares were delivered (`ck_equity_grant_transaction_sar_settlement`); none negative, the
 *   fair market value positive (`ck_equity_grant_transaction_sar_amounts`). Existing rows
 *   (option exercises and everything else) have none.
 * - The application role inserts into the table as a whole (GRANT INSERT of
 *   EquityPlans1795380000000) and never updates these columns: no grant to add.
 */
export class SarSettlement1795410000000 implements MigrationInterface {
  name = 'SarSettlement1795410000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "equity_grant_transaction"
      ADD "fair_market_value" numeric(30,10),
      ADD "settled_shares" bigint,
      ADD "cash_amount" numeric(52,10),
      ADD CONSTRAINT "ck_equity_grant_transaction_sar_amounts" CHECK (("fair_market_value" IS NULL OR "fair_market_value" > 0) AND ("cash_amount" IS NULL OR "cash_amount" >= 0) AND ("settled_shares" IS NULL OR "settled_shares" >= 0)),
      ADD CONSTRAINT "ck_equity_grant_transaction_sar_settlement" CHECK (("fair_market_value" IS NULL) = ("cash_amount" IS NULL) AND ("cash_amount" IS NULL) = ("settled_shares" IS NULL) AND ("fair_market_value" IS NULL OR ("kind" = 'EXERCISE' AND "total_amount" IS NULL AND ("settled_shares" > 0) = ("resulting_security_id" IS NOT NULL))))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    const [{ kept }] = (await queryRunner.query(
      `SELECT count(*)::int AS kept FROM "equity_grant_transaction" WHERE "fair_market_value" IS NOT NULL`,
    )) as Array<{ kept: number }>;
    if (kept > 0)
      throw new Error(`${kept} settled SAR exercises; reverting would lose their settlement.`);
    await queryRunner.query(`ALTER TABLE "equity_grant_transaction"
      DROP CONSTRAINT "ck_equity_grant_transaction_sar_settlement",
      DROP CONSTRAINT "ck_equity_grant_transaction_sar_amounts",
      DROP COLUMN "cash_amount",
      DROP COLUMN "settled_shares",
      DROP COLUMN "fair_market_value"`);
  }
}
