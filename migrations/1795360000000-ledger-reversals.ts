import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Corrections by reversal: a REVERSAL transaction undoes one ledger line (an original issuance,
 * or a terminal transaction), which stays in the ledger marked with `reversed_by_transaction_id`.
 * The securities the reversed line created become REVERSED (spent by the reversal, on their own
 * date, so they were never outstanding as the books now read); the security a terminal
 * transaction spent is outstanding again. A line is reversed at most once (unique index), a
 * reversal is never reversed, and `reversed_by_transaction_id` is the one column of a transaction
 * the service may write, once. The spent security's index now ignores reversed transactions,
 * so a restored security can be spent again.
 *
 * certificate_cancellation rows are markers ("this security may not have a valid certificate"):
 * a reinstated security's marker is removed, its certificates' history stays in `certificate`.
 */
export class LedgerReversals1795360000000 implements MigrationInterface {
  name = 'LedgerReversals1795360000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const q = (text: string) => queryRunner.query(text);
    await q(`ALTER TABLE "stock_transaction" DROP CONSTRAINT "ck_stock_transaction_kind"`);
    await q(`ALTER TABLE "stock_transaction"
      ADD "reversed_transaction_id" uuid,
      ADD "reversed_by_transaction_id" uuid,
      ADD CONSTRAINT "ck_stock_transaction_kind" CHECK ("kind" IN ('TRANSFER', 'CANCELLATION', 'REPURCHASE', 'REISSUANCE', 'CONVERSION', 'REVERSAL')),
      ADD CONSTRAINT "ck_stock_transaction_reversal" CHECK (("kind" = 'REVERSAL') = ("reversed_transaction_id" IS NOT NULL) AND ("kind" <> 'REVERSAL' OR "reversed_by_transaction_id" IS NULL)),
      ADD CONSTRAINT "fk_stock_transaction_reversed_by" FOREIGN KEY ("company_id", "reversed_by_transaction_id") REFERENCES "stock_transaction"("company_id", "id") ON DELETE RESTRICT`);
    await q(`DROP INDEX "uq_stock_transaction_security"`);
    await q(`CREATE UNIQUE INDEX "uq_stock_transaction_security" ON "stock_transaction" ("company_id", "security_id")
               WHERE kind <> 'REVERSAL' AND reversed_by_transaction_id IS NULL`);
    await q(`CREATE UNIQUE INDEX "uq_stock_transaction_reversed" ON "stock_transaction" ("company_id", "reversed_transaction_id")
               WHERE reversed_transaction_id IS NOT NULL`);
    await q(`CREATE FUNCTION app_stock_transaction_reversed_once() RETURNS trigger
               LANGUAGE plpgsql AS $$
             BEGIN
               IF OLD.reversed_by_transaction_id IS NOT NULL THEN
                 RAISE EXCEPTION 'stock transaction % is already reversed', OLD.id
                   USING ERRCODE = 'check_violation';
               END IF;
               RETURN NEW;
             END $$`);
    await q(`CREATE TRIGGER "tr_stock_transaction_reversed_once" BEFORE UPDATE ON "stock_transaction"
               FOR EACH ROW EXECUTE FUNCTION app_stock_transaction_reversed_once()`);
    await q(
      `GRANT UPDATE ("reversed_by_transaction_id") ON TABLE "stock_transaction" TO corporate_os_app`,
    );

    await q(`ALTER TABLE "issuance" DROP CONSTRAINT "ck_issuance_status"`);
    await q(`ALTER TABLE "issuance" ADD CONSTRAINT "ck_issuance_status"
               CHECK ("status" IN ('OUTSTANDING', 'TRANSFERRED', 'CANCELLED', 'REPURCHASED', 'CONVERTED', 'REISSUED', 'REVERSED'))`);

    await q(`GRANT DELETE ON TABLE "certificate_cancellation" TO corporate_os_app`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    const q = (text: string) => queryRunner.query(text);
    const [{ reversals }] = (await queryRunner.query(
      `SELECT count(*)::int AS reversals FROM "stock_transaction" WHERE "kind" = 'REVERSAL'`,
    )) as Array<{ reversals: number }>;
    if (reversals > 0)
      throw new Error(
        `The ledger holds ${reversals} reversals; reverting would lose which transactions they undid.`,
      );
    await q(`REVOKE DELETE ON TABLE "certificate_cancellation" FROM corporate_os_app`);
    await q(`ALTER TABLE "issuance" DROP CONSTRAINT "ck_issuance_status"`);
    await q(`ALTER TABLE "issuance" ADD CONSTRAINT "ck_issuance_status"
               CHECK ("status" IN ('OUTSTANDING', 'TRANSFERRED', 'CANCELLED', 'REPURCHASED', 'CONVERTED', 'REISSUED'))`);
    await q(
      `REVOKE UPDATE ("reversed_by_transaction_id") ON TABLE "stock_transaction" FROM corporate_os_app`,
    );
    await q(`DROP TRIGGER "tr_stock_transaction_reversed_once" ON "stock_transaction"`);
    await q(`DROP FUNCTION app_stock_transaction_reversed_once()`);
    await q(`DROP INDEX "uq_stock_transaction_reversed"`);
    await q(`DROP INDEX "uq_stock_transaction_security"`);
    await q(
      `CREATE UNIQUE INDEX "uq_stock_transaction_security" ON "stock_transaction" ("company_id", "security_id")`,
    );
    await q(`ALTER TABLE "stock_transaction"
      DROP CONSTRAINT "fk_stock_transaction_reversed_by",
      DROP CONSTRAINT "ck_stock_transaction_reversal",
      DROP CONSTRAINT "ck_stock_transaction_kind",
      DROP COLUMN "reversed_by_transaction_id",
      DROP COLUMN "reversed_transaction_id",
      ADD CONSTRAINT "ck_stock_transaction_kind" CHECK ("kind" IN ('TRANSFER', 'CANCELLATION', 'REPURCHASE', 'REISSUANCE', 'CONVERSION'))`);
  }
}
