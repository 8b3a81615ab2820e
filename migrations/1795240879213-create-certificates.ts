/**
 * Share certificates: every rendered version (PDF as bytea, SHA-256, status, reason, actor), the
 * certificate number each issuance received, and the per-class counter that keeps numbers gap-free.
 */
import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateCertificates1795240879213 implements MigrationInterface {
  name = 'CreateCertificates1795240879213';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "certificate" ("id" uuid NOT NULL, "issuance_id" uuid NOT NULL, "shareholder_id" uuid NOT NULL, "share_class_id" uuid NOT NULL, "certificate_number" character varying(32) NOT NULL, "version" integer NOT NULL, "status" character varying(16) NOT NULL, "supersedes_id" uuid, "reason" text, "share_class_name" character varying(100) NOT NULL, "number_of_shares" bigint NOT NULL, "issue_date" date NOT NULL, "verification_code" character varying(32) NOT NULL, "specimen" boolean NOT NULL, "content" bytea NOT NULL, "size_bytes" integer NOT NULL, "sha256" character(64) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "created_by_sub" character varying(255) NOT NULL, "created_by" character varying(255) NOT NULL, "request_id" character varying(128), "superseded_at" TIMESTAMP WITH TIME ZONE, "voided_at" TIMESTAMP WITH TIME ZONE, "voided_by" character varying(255), "void_reason" text, CONSTRAINT "ck_certificate_voided" CHECK ((status = 'void') = (voided_at IS NOT NULL)), CONSTRAINT "ck_certificate_sha256" CHECK (sha256 ~ '^[0-9a-f]{64}$'), CONSTRAINT "ck_certificate_size" CHECK (size_bytes = octet_length(content)), CONSTRAINT "ck_certificate_chain" CHECK ((version = 1) = (supersedes_id IS NULL)), CONSTRAINT "ck_certificate_version_positive" CHECK (version >= 1), CONSTRAINT "ck_certificate_status" CHECK (status IN ('active', 'superseded', 'void')), CONSTRAINT "pk_certificate" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_certificate_shareholder" ON "certificate" ("shareholder_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_certificate_verification_code" ON "certificate" ("verification_code") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_certificate_issuance_active" ON "certificate" ("issuance_id") WHERE status = 'active'`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_certificate_issuance_version" ON "certificate" ("issuance_id", "version") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_certificate_number_version" ON "certificate" ("certificate_number", "version") `,
    );
    await queryRunner.query(
      `CREATE TABLE "certificate_counter" ("share_class_id" uuid NOT NULL, "last_sequence" bigint NOT NULL DEFAULT '0', CONSTRAINT "ck_certificate_counter_non_negative" CHECK (last_sequence >= 0), CONSTRAINT "pk_certificate_counter" PRIMARY KEY ("share_class_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "certificate_assignment" ("issuance_id" uuid NOT NULL, "share_class_id" uuid NOT NULL, "sequence" bigint NOT NULL, "certificate_number" character varying(32) NOT NULL, "assigned_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_certificate_assignment_sequence_positive" CHECK (sequence >= 1), CONSTRAINT "pk_certificate_assignment" PRIMARY KEY ("issuance_id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_certificate_assignment_number" ON "certificate_assignment" ("certificate_number") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_certificate_assignment_class_sequence" ON "certificate_assignment" ("share_class_id", "sequence") `,
    );
    await queryRunner.query(
      `ALTER TABLE "certificate" ADD CONSTRAINT "fk_certificate_issuance" FOREIGN KEY ("issuance_id") REFERENCES "issuance"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "certificate" ADD CONSTRAINT "fk_certificate_shareholder" FOREIGN KEY ("shareholder_id") REFERENCES "shareholder"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "certificate" ADD CONSTRAINT "fk_certificate_share_class" FOREIGN KEY ("share_class_id") REFERENCES "share_class"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "certificate" ADD CONSTRAINT "fk_certificate_supersedes" FOREIGN KEY ("supersedes_id") REFERENCES "certificate"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "certificate_counter" ADD CONSTRAINT "fk_certificate_counter_share_class" FOREIGN KEY ("share_class_id") REFERENCES "share_class"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "certificate_assignment" ADD CONSTRAINT "fk_certificate_assignment_issuance" FOREIGN KEY ("issuance_id") REFERENCES "issuance"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "certificate_assignment" ADD CONSTRAINT "fk_certificate_assignment_share_class" FOREIGN KEY ("share_class_id") REFERENCES "share_class"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "certificate_assignment" DROP CONSTRAINT "fk_certificate_assignment_share_class"`,
    );
    await queryRunner.query(
      `ALTER TABLE "certificate_assignment" DROP CONSTRAINT "fk_certificate_assignment_issuance"`,
    );
    await queryRunner.query(
      `ALTER TABLE "certificate_counter" DROP CONSTRAINT "fk_certificate_counter_share_class"`,
    );
    await queryRunner.query(
      `ALTER TABLE "certificate" DROP CONSTRAINT "fk_certificate_supersedes"`,
    );
    await queryRunner.query(
      `ALTER TABLE "certificate" DROP CONSTRAINT "fk_certificate_share_class"`,
    );
    await queryRunner.query(
      `ALTER TABLE "certificate" DROP CONSTRAINT "fk_certificate_shareholder"`,
    );
    await queryRunner.query(`ALTER TABLE "certificate" DROP CONSTRAINT "fk_certificate_issuance"`);
    await queryRunner.query(`DROP INDEX "public"."uq_certificate_assignment_class_sequence"`);
    await queryRunner.query(`DROP INDEX "public"."uq_certificate_assignment_number"`);
    await queryRunner.query(`DROP TABLE "certificate_assignment"`);
    await queryRunner.query(`DROP TABLE "certificate_counter"`);
    await queryRunner.query(`DROP INDEX "public"."uq_certificate_number_version"`);
    await queryRunner.query(`DROP INDEX "public"."uq_certificate_issuance_version"`);
    await queryRunner.query(`DROP INDEX "public"."uq_certificate_issuance_active"`);
    await queryRunner.query(`DROP INDEX "public"."uq_certificate_verification_code"`);
    await queryRunner.query(`DROP INDEX "public"."idx_certificate_shareholder"`);
    await queryRunner.query(`DROP TABLE "certificate"`);
  }
}
