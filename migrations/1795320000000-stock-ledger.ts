import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The stock ledger: every issuance row is a security (OCF security_id) whose quantity never
 * changes; a terminal transaction (transfer, cancellation, repurchase, reissuance) spends the whole
 * security and records what came of it (a balance security for the holder, resulting securities
 * for others). `stock_transaction` keeps those transactions; the unique index on the spent
 * security is the database's own guarantee that no security is spent twice. Certificates of spent
 * securities are cancelled (`certificate_cancellation`, owned by the certificates module, records
 * which securities may no longer have a valid certificate, also before one was rendered).
 */
export class StockLedger1795320000000 implements MigrationInterface {
  name = 'StockLedger1795320000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const q = (text: string) => queryRunner.query(text);
    await q(`CREATE TABLE "stock_transaction" (
      "company_id" uuid NOT NULL DEFAULT app_company_id(),
      "id" uuid NOT NULL,
      "kind" character varying(20) NOT NULL,
      "date" date NOT NULL,
      "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "security_id" uuid NOT NULL,
      "quantity" bigint NOT NULL,
      "price_per_share" numeric(30,10),
      "total_amount" numeric(52,10),
      "currency" character(3),
      "consideration_text" text,
      "reason" text,
      "balance_security_id" uuid,
      "resulting_security_ids" uuid array NOT NULL DEFAULT '{}',
      "created_by_sub" character varying(255) NOT NULL,
      "created_by" character varying(255) NOT NULL,
      "request_id" character varying(128),
      CONSTRAINT "ck_stock_transaction_kind" CHECK ("kind" IN ('TRANSFER', 'CANCELLATION', 'REPURCHASE', 'REISSUANCE')),
      CONSTRAINT "ck_stock_transaction_quantity_positive" CHECK ("quantity" > 0),
      CONSTRAINT "ck_stock_transaction_total_exact" CHECK ("total_amount" IS NULL OR "total_amount" = "quantity" * "price_per_share"),
      CONSTRAINT "ck_stock_transaction_money" CHECK (("price_per_share" IS NULL) = ("currency" IS NULL) AND ("price_per_share" IS NULL OR "price_per_share" >= 0)),
      CONSTRAINT "ck_stock_transaction_currency" CHECK ("currency" IS NULL OR "currency" ~ '^[A-Z]{3}$'),
      CONSTRAINT "pk_stock_transaction" PRIMARY KEY ("company_id", "id"),
      CONSTRAINT "fk_stock_transaction_company" FOREIGN KEY ("company_id") REFERENCES "company"("id") ON DELETE RESTRICT,
      CONSTRAINT "fk_stock_transaction_security" FOREIGN KEY ("company_id", "security_id") REFERENCES "issuance"("company_id", "id") ON DELETE RESTRICT
    )`);
    await q(
      `CREATE UNIQUE INDEX "uq_stock_transaction_security" ON "stock_transaction" ("company_id", "security_id")`,
    );
    await q(
      `CREATE INDEX "idx_stock_transaction_date" ON "stock_transaction" ("company_id", "date", "recorded_at")`,
    );
    await q(`ALTER TABLE "stock_transaction" ENABLE ROW LEVEL SECURITY`);
    await q(`CREATE POLICY company_isolation ON "stock_transaction"
               USING (company_id = app_company_id()) WITH CHECK (company_id = app_company_id())`);
    // Append-only for the service: a transaction is never changed or removed.
    await q(`GRANT SELECT, INSERT ON TABLE "stock_transaction" TO corporate_os_app`);

    await q(`ALTER TABLE "issuance"
      ADD "status" character varying(20) NOT NULL DEFAULT 'OUTSTANDING',
      ADD "origin_transaction_id" uuid,
      ADD "spent_by_transaction_id" uuid,
      ADD "spent_on" date,
      ADD CONSTRAINT "ck_issuance_status" CHECK ("status" IN ('OUTSTANDING', 'TRANSFERRED', 'CANCELLED', 'REPURCHASED', 'CONVERTED', 'REISSUED')),
      ADD CONSTRAINT "ck_issuance_spent" CHECK (("status" = 'OUTSTANDING') = ("spent_by_transaction_id" IS NULL) AND ("spent_by_transaction_id" IS NULL) = ("spent_on" IS NULL)),
      ADD CONSTRAINT "ck_issuance_spent_on_or_after_issue" CHECK ("spent_on" IS NULL OR "spent_on" >= "date"),
      ADD CONSTRAINT "fk_issuance_origin_transaction" FOREIGN KEY ("company_id", "origin_transaction_id") REFERENCES "stock_transaction"("company_id", "id") ON DELETE RESTRICT,
      ADD CONSTRAINT "fk_issuance_spent_by_transaction" FOREIGN KEY ("company_id", "spent_by_transaction_id") REFERENCES "stock_transaction"("company_id", "id") ON DELETE RESTRICT`);
    // The ledger stays append-only but for the spending of a security, column by column.
    await q(
      `GRANT UPDATE ("status", "spent_by_transaction_id", "spent_on") ON TABLE "issuance" TO corporate_os_app`,
    );
    await q(
      `CREATE INDEX "idx_issuance_origin_transaction" ON "issuance" ("company_id", "origin_transaction_id") WHERE origin_transaction_id IS NOT NULL`,
    );
    await q(
      `CREATE INDEX "idx_issuance_outstanding" ON "issuance" ("company_id", "shareholder_id", "share_class_id") WHERE status = 'OUTSTANDING'`,
    );

    await q(`CREATE TABLE "certificate_cancellation" (
      "company_id" uuid NOT NULL DEFAULT app_company_id(),
      "issuance_id" uuid NOT NULL,
      "transaction_id" uuid NOT NULL,
      "kind" character varying(20) NOT NULL,
      "cancelled_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "pk_certificate_cancellation" PRIMARY KEY ("company_id", "issuance_id"),
      CONSTRAINT "fk_certificate_cancellation_company" FOREIGN KEY ("company_id") REFERENCES "company"("id") ON DELETE RESTRICT
    )`);
    await q(`ALTER TABLE "certificate_cancellation" ENABLE ROW LEVEL SECURITY`);
    await q(`CREATE POLICY company_isolation ON "certificate_cancellation"
               USING (company_id = app_company_id()) WITH CHECK (company_id = app_company_id())`);
    await q(`GRANT SELECT, INSERT ON TABLE "certificate_cancellation" TO corporate_os_app`);

    await q(`ALTER TABLE "certificate" DROP CONSTRAINT "ck_certificate_status"`);
    await q(`ALTER TABLE "certificate" ADD CONSTRAINT "ck_certificate_status"
               CHECK (status IN ('active', 'superseded', 'void', 'cancelled'))`);
    await q(`ALTER TABLE "certificate"
      ADD "cancelled_at" TIMESTAMP WITH TIME ZONE,
      ADD "cancellation_reason" text,
      ADD CONSTRAINT "ck_certificate_cancelled" CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    const q = (text: string) => queryRunner.query(text);
    const [{ spent }] = (await queryRunner.query(
      `SELECT count(*)::int AS spent FROM "stock_transaction"`,
    )) as Array<{ spent: number }>;
    if (spent > 0)
      throw new Error(
        `The ledger holds ${spent} transactions of spent securities; reverting would lose them.`,
      );
    await q(`ALTER TABLE "certificate" DROP CONSTRAINT "ck_certificate_cancelled"`);
    await q(
      `ALTER TABLE "certificate" DROP COLUMN "cancellation_reason", DROP COLUMN "cancelled_at"`,
    );
    await q(`ALTER TABLE "certificate" DROP CONSTRAINT "ck_certificate_status"`);
    await q(`ALTER TABLE "certificate" ADD CONSTRAINT "ck_certificate_status"
               CHECK (status IN ('active', 'superseded', 'void'))`);
    await q(`DROP TABLE "certificate_cancellation"`);
    await q(
      `REVOKE UPDATE ("status", "spent_by_transaction_id", "spent_on") ON TABLE "issuance" FROM corporate_os_app`,
    );
    await q(`DROP INDEX "idx_issuance_outstanding"`);
    await q(`DROP INDEX "idx_issuance_origin_transaction"`);
    await q(`ALTER TABLE "issuance"
      DROP CONSTRAINT "fk_issuance_spent_by_transaction",
      DROP CONSTRAINT "fk_issuance_origin_transaction",
      DROP CONSTRAINT "ck_issuance_spent_on_or_after_issue",
      DROP CONSTRAINT "ck_issuance_spent",
      DROP CONSTRAINT "ck_issuance_status",
      DROP COLUMN "spent_on", DROP COLUMN "spent_by_transaction_id",
      DROP COLUMN "origin_transaction_id", DROP COLUMN "status"`);
    await q(`DROP TABLE "stock_transaction"`);
  }
}
