import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The append-only, hash-chained audit log. A trigger refuses UPDATE, DELETE and TRUNCATE for every
 * role, the table owner included (only an explicit ALTER TABLE ... DISABLE TRIGGER by the owner
 * gets past it, which is why production runs the app as a role that does not own the table).
 */
export class CreateAuditEntry1795240760700 implements MigrationInterface {
  name = 'CreateAuditEntry1795240760700';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "audit_entry" ("seq" bigint NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL, "actor_sub" character varying(255) NOT NULL, "actor_name" character varying(255) NOT NULL, "actor_client_id" character varying(255) NOT NULL, "actor_roles" text array NOT NULL, "action" character varying(100) NOT NULL, "entity_type" character varying(50) NOT NULL, "entity_id" character varying(255), "before" jsonb, "after" jsonb, "request_id" character varying(128), "ip" character varying(64), "user_agent" character varying(512), "outcome" character varying(20) NOT NULL, "source_event_id" uuid, "search_text" text NOT NULL, "prev_hash" character(64) NOT NULL, "hash" character(64) NOT NULL, CONSTRAINT "pk_audit_entry" PRIMARY KEY ("seq"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_audit_entry_outcome" ON "audit_entry" ("outcome", "occurred_at", "seq")`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_audit_entry_entity" ON "audit_entry" ("entity_type", "entity_id", "occurred_at", "seq")`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_audit_entry_action" ON "audit_entry" ("action", "occurred_at", "seq")`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_audit_entry_actor_sub" ON "audit_entry" ("actor_sub", "occurred_at", "seq")`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_audit_entry_actor_name" ON "audit_entry" ("actor_name", "occurred_at", "seq")`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_audit_entry_occurred" ON "audit_entry" ("occurred_at", "seq")`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_audit_entry_source_event" ON "audit_entry" ("source_event_id")`,
    );
    // Text search in the details (the q filter): trigram index, hand-written.
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await queryRunner.query(
      `CREATE INDEX "idx_audit_entry_search_trgm" ON "audit_entry" USING gin ("search_text" gin_trgm_ops)`,
    );
    await queryRunner.query(`
      CREATE FUNCTION audit_entry_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_entry is append-only: % is not allowed', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END
      $$`);
    await queryRunner.query(
      `CREATE TRIGGER trg_audit_entry_append_only BEFORE UPDATE OR DELETE ON "audit_entry" FOR EACH ROW EXECUTE FUNCTION audit_entry_refuse_change()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER trg_audit_entry_no_truncate BEFORE TRUNCATE ON "audit_entry" FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_refuse_change()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "audit_entry"`);
    await queryRunner.query(`DROP FUNCTION audit_entry_refuse_change()`);
  }
}
