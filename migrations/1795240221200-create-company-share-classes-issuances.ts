import { MigrationInterface, QueryRunner } from 'typeorm';

/** The issuer, share classes, the issuance ledger and idempotency keys. */
export class CreateCompanyShareClassesIssuances1795240221200 implements MigrationInterface {
  name = 'CreateCompanyShareClassesIssuances1795240221200';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "share_class" ("id" uuid NOT NULL, "name" character varying(100) NOT NULL, "type" character varying(20) NOT NULL, "authorized_shares" bigint NOT NULL, "issued_shares" bigint NOT NULL DEFAULT '0', "par_value" numeric(30,10) NOT NULL, "votes_per_share" integer NOT NULL, "certificate_prefix" character varying(6) NOT NULL, "seniority" integer NOT NULL DEFAULT '0', "legend_text" text, "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_share_class_certificate_prefix" CHECK (certificate_prefix ~ '^[A-Z]{1,6}$'), CONSTRAINT "ck_share_class_votes_non_negative" CHECK (votes_per_share >= 0), CONSTRAINT "ck_share_class_par_value_non_negative" CHECK (par_value >= 0), CONSTRAINT "ck_share_class_issued_within_authorized" CHECK (issued_shares >= 0 AND issued_shares <= authorized_shares), CONSTRAINT "ck_share_class_authorized_positive" CHECK (authorized_shares > 0), CONSTRAINT "ck_share_class_type" CHECK ("type" IN ('COMMON', 'PREFERRED')), CONSTRAINT "pk_share_class" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_share_class_certificate_prefix" ON "share_class" ("certificate_prefix")`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_share_class_name" ON "share_class" ("name")`);
    await queryRunner.query(
      `CREATE TABLE "issuance" ("id" uuid NOT NULL, "shareholder_id" uuid NOT NULL, "share_class_id" uuid NOT NULL, "number_of_shares" bigint NOT NULL, "price" numeric(30,10) NOT NULL, "total_amount" numeric(52,10) NOT NULL, "currency" character(3) NOT NULL, "date" date NOT NULL, "certificate_number" character varying(32), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "created_by_sub" character varying(255) NOT NULL, "created_by" character varying(255) NOT NULL, "request_id" character varying(128), CONSTRAINT "ck_issuance_currency" CHECK (currency ~ '^[A-Z]{3}$'), CONSTRAINT "ck_issuance_total_exact" CHECK (total_amount = number_of_shares * price), CONSTRAINT "ck_issuance_price_non_negative" CHECK (price >= 0), CONSTRAINT "ck_issuance_shares_positive" CHECK (number_of_shares > 0), CONSTRAINT "pk_issuance" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "idx_issuance_date" ON "issuance" ("date")`);
    await queryRunner.query(
      `CREATE INDEX "idx_issuance_share_class_date" ON "issuance" ("share_class_id", "date")`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_issuance_shareholder_date" ON "issuance" ("shareholder_id", "date")`,
    );
    await queryRunner.query(
      `CREATE TABLE "idempotency_key" ("scope" character varying(255) NOT NULL, "key" character varying(255) NOT NULL, "request_hash" character(64) NOT NULL, "response_body" jsonb, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "pk_idempotency_key" PRIMARY KEY ("scope", "key"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_idempotency_key_expires_at" ON "idempotency_key" ("expires_at")`,
    );
    await queryRunner.query(
      `CREATE TABLE "company" ("id" uuid NOT NULL, "singleton" boolean NOT NULL DEFAULT true, "legal_name" character varying(300) NOT NULL, "country" character(2) NOT NULL, "formation_date" date NOT NULL, "default_currency" character(3) NOT NULL, "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_company_currency" CHECK (default_currency ~ '^[A-Z]{3}$'), CONSTRAINT "ck_company_country" CHECK (country ~ '^[A-Z]{2}$'), CONSTRAINT "ck_company_singleton" CHECK (singleton), CONSTRAINT "pk_company" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_company_singleton" ON "company" ("singleton")`,
    );
    await queryRunner.query(
      `ALTER TABLE "issuance" ADD CONSTRAINT "fk_issuance_shareholder" FOREIGN KEY ("shareholder_id") REFERENCES "shareholder"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "issuance" ADD CONSTRAINT "fk_issuance_share_class" FOREIGN KEY ("share_class_id") REFERENCES "share_class"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "issuance" DROP CONSTRAINT "fk_issuance_share_class"`);
    await queryRunner.query(`ALTER TABLE "issuance" DROP CONSTRAINT "fk_issuance_shareholder"`);
    await queryRunner.query(`DROP INDEX "public"."uq_company_singleton"`);
    await queryRunner.query(`DROP TABLE "company"`);
    await queryRunner.query(`DROP INDEX "public"."idx_idempotency_key_expires_at"`);
    await queryRunner.query(`DROP TABLE "idempotency_key"`);
    await queryRunner.query(`DROP INDEX "public"."idx_issuance_shareholder_date"`);
    await queryRunner.query(`DROP INDEX "public"."idx_issuance_share_class_date"`);
    await queryRunner.query(`DROP INDEX "public"."idx_issuance_date"`);
    await queryRunner.query(`DROP TABLE "issuance"`);
    await queryRunner.query(`DROP INDEX "public"."uq_share_class_name"`);
    await queryRunner.query(`DROP INDEX "public"."uq_share_class_certificate_prefix"`);
    await queryRunner.query(`DROP TABLE "share_class"`);
  }
}
