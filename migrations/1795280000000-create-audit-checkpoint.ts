import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Signed checkpoints of the audit chain's head, kept beside the chain: append-only like
 * audit_entry (a trigger refuses UPDATE, DELETE and TRUNCATE for every role, the owner included),
 * and only SELECT and INSERT for the application role.
 */
export class CreateAuditCheckpoint1795280000000 implements MigrationInterface {
  name = 'CreateAuditCheckpoint1795280000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "audit_checkpoint" ("seq" bigint NOT NULL, "hash" character(64) NOT NULL, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL, "key_id" character varying(64) NOT NULL, "signature" text NOT NULL, "payload" text NOT NULL, CONSTRAINT "ck_audit_checkpoint_seq_positive" CHECK ("seq" > 0), CONSTRAINT "pk_audit_checkpoint" PRIMARY KEY ("seq"))`,
    );
    await queryRunner.query(`
      CREATE FUNCTION audit_checkpoint_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_checkpoint is append-only: % is not allowed', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END
      $$`);
    await queryRunner.query(
      `CREATE TRIGGER trg_audit_checkpoint_append_only BEFORE UPDATE OR DELETE ON "audit_checkpoint" FOR EACH ROW EXECUTE FUNCTION audit_checkpoint_refuse_change()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER trg_audit_checkpoint_no_truncate BEFORE TRUNCATE ON "audit_checkpoint" FOR EACH STATEMENT EXECUTE FUNCTION audit_checkpoint_refuse_change()`,
    );
    await queryRunner.query(`GRANT SELECT, INSERT ON TABLE "audit_checkpoint" TO corporate_os_app`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "audit_checkpoint"`);
    await queryRunner.query(`DROP FUNCTION audit_checkpoint_refuse_change()`);
  }
}
