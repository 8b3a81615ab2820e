import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The dated history of a class's authorized shares (OCF StockClassAuthorizedSharesAdjustment):
 * from `date` on the class may have `authorized_shares` outstanding; `previous_authorized_shares`
 * is what it had before. The latest adjustment is the class's current authorized shares.
 */
export class AuthorizedSharesAdjustments1795350000000 implements MigrationInterface {
  name = 'AuthorizedSharesAdjustments1795350000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const q = (text: string) => queryRunner.query(text);
    await q(`CREATE TABLE "authorized_shares_adjustment" (
      "company_id" uuid NOT NULL DEFAULT app_company_id(),
      "id" uuid NOT NULL,
      "share_class_id" uuid NOT NULL,
      "date" date NOT NULL,
      "authorized_shares" bigint NOT NULL,
      "previous_authorized_shares" bigint NOT NULL,
      "board_approval_date" date,
      "stockholder_approval_date" date,
      "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "created_by_sub" character varying(255) NOT NULL,
      "created_by" character varying(255) NOT NULL,
      "request_id" character varying(128),
      CONSTRAINT "ck_authorized_shares_adjustment_positive" CHECK ("authorized_shares" > 0 AND "previous_authorized_shares" > 0),
      CONSTRAINT "pk_authorized_shares_adjustment" PRIMARY KEY ("company_id", "id"),
      CONSTRAINT "fk_authorized_shares_adjustment_company" FOREIGN KEY ("company_id") REFERENCES "company"("id") ON DELETE RESTRICT,
      CONSTRAINT "fk_authorized_shares_adjustment_share_class" FOREIGN KEY ("company_id", "share_class_id") REFERENCES "share_class"("company_id", "id") ON DELETE RESTRICT
    )`);
    await q(
      `CREATE UNIQUE INDEX "uq_authorized_shares_adjustment_date" ON "authorized_shares_adjustment" ("company_id", "share_class_id", "date")`,
    );
    await q(`ALTER TABLE "authorized_shares_adjustment" ENABLE ROW LEVEL SECURITY`);
    await q(`CREATE POLICY company_isolation ON "authorized_shares_adjustment"
               USING (company_id = app_company_id()) WITH CHECK (company_id = app_company_id())`);
    await q(`GRANT SELECT, INSERT ON TABLE "authorized_shares_adjustment" TO corporate_os_app`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "authorized_shares_adjustment"`);
  }
}
