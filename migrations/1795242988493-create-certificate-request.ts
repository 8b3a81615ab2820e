/** Durable queue of certificates to render, so event delivery never waits for Chromium. */
import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateCertificateRequest1795242988493 implements MigrationInterface {
  name = 'CreateCertificateRequest1795242988493';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "certificate_request" ("issuance_id" uuid NOT NULL, "requested_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "attempts" integer NOT NULL DEFAULT '0', "last_error" text, "actor" jsonb NOT NULL, "request_id" character varying(128), CONSTRAINT "pk_certificate_request" PRIMARY KEY ("issuance_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_certificate_request_next_attempt" ON "certificate_request" ("next_attempt_at") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."idx_certificate_request_next_attempt"`);
    await queryRunner.query(`DROP TABLE "certificate_request"`);
  }
}
