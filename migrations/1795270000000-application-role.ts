/**
 * Least privilege for the API. Migrations run as the owner of the schema; the API connects as a
 * login role that is a member of `corporate_os_app` (see src/core/db/provision.ts, which creates
 * that login role from DATABASE_URL). This group role owns nothing and is granted exactly what the
 * service does to each table: no TRUNCATE, REFERENCES or TRIGGER anywhere, no DDL (only the owner
 * may ALTER or DROP a table or its triggers), and on the append-only tables (`audit_entry`,
 * `shareholder_version`, `certificate_assignment`, `processed_event`) only SELECT and INSERT, so
 * that rewriting history is refused by the grants before the triggers are even asked.
 *
 * Every later migration that creates a table grants it here-style to `corporate_os_app`; the schema
 * e2e test fails on a table without grants or with more than its entry allows.
 */
import { MigrationInterface, QueryRunner } from 'typeorm';

const APP_ROLE = 'corporate_os_app';

const GRANTS: Readonly<Record<string, string>> = {
  shareholder: 'SELECT, INSERT, UPDATE',
  shareholder_version: 'SELECT, INSERT',
  company: 'SELECT, INSERT, UPDATE',
  share_class: 'SELECT, INSERT, UPDATE',
  issuance: 'SELECT, INSERT',
  idempotency_key: 'SELECT, INSERT, UPDATE, DELETE',
  certificate: 'SELECT, INSERT, UPDATE',
  certificate_assignment: 'SELECT, INSERT',
  certificate_counter: 'SELECT, INSERT, UPDATE',
  certificate_request: 'SELECT, INSERT, UPDATE, DELETE',
  audit_entry: 'SELECT, INSERT',
  outbox_event: 'SELECT, INSERT, UPDATE',
  processed_event: 'SELECT, INSERT',
};

export class ApplicationRole1795270000000 implements MigrationInterface {
  name = 'ApplicationRole1795270000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // Roles belong to the cluster, not to one database: another database may have made it already
    // (also at the same moment, hence the duplicate_object handler).
    await queryRunner.query(`
      DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
          CREATE ROLE ${APP_ROLE} NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
        END IF;
      EXCEPTION WHEN duplicate_object THEN NULL;
      END $$`);
    // PostgreSQL 15 and later already refuse CREATE in public to PUBLIC; older servers do not.
    await queryRunner.query(`REVOKE CREATE ON SCHEMA public FROM PUBLIC`);
    await queryRunner.query(`GRANT USAGE ON SCHEMA public TO ${APP_ROLE}`);
    for (const [table, privileges] of Object.entries(GRANTS)) {
      await queryRunner.query(`GRANT ${privileges} ON TABLE "${table}" TO ${APP_ROLE}`);
    }
    // The identity of shareholder_version.id.
    await queryRunner.query(`GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO ${APP_ROLE}`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`REVOKE USAGE ON ALL SEQUENCES IN SCHEMA public FROM ${APP_ROLE}`);
    for (const table of Object.keys(GRANTS)) {
      await queryRunner.query(`REVOKE ALL ON TABLE "${table}" FROM ${APP_ROLE}`);
    }
    await queryRunner.query(`REVOKE USAGE ON SCHEMA public FROM ${APP_ROLE}`);
    // The role itself stays: other databases of the cluster may still grant to it.
  }
}
