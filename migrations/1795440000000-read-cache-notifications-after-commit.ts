import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The read cache's row notifications leave after the commit instead of with it.
 *
 * PostgreSQL serialises the commits of all transactions that issued NOTIFY: each holds the
 * notification queue's lock from before its commit record until after the record is flushed to
 * disk. Every ledger transaction spends a security (an UPDATE of `issuance`, which the read cache
 * must hear of), so the ledger's commits waited on one another's disk flushes one at a time.
 *
 * A transaction of the service (Database.transaction) now says `app.read_cache_deferred = on`:
 * the triggers then collect its notifications in the transaction-local setting
 * `app.read_cache_pending` (space-separated payloads; `*` once there are too many to name),
 * which the service reads just ahead of its COMMIT and, once committed, hands to its own read
 * cache at once and NOTIFYs to the other instances from a transaction that does not wait for the
 * disk. Every other writer (psql, a restore, a migration, a lone statement) notifies with its
 * commit, as before. TRUNCATE notifies with its commit always.
 */
export class ReadCacheNotificationsAfterCommit1795440000000 implements MigrationInterface {
  name = 'ReadCacheNotificationsAfterCommit1795440000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const q = (text: string) => queryRunner.query(text);
    await q(`
      CREATE FUNCTION app_read_cache_changed(payload text) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE
        pending text;
      BEGIN
        IF coalesce(current_setting('app.read_cache_deferred', true), '') <> 'on' THEN
          PERFORM pg_notify('read_cache', payload);
          RETURN;
        END IF;
        pending := coalesce(current_setting('app.read_cache_pending', true), '');
        IF pending = '*' THEN
          RETURN;
        ELSIF length(pending) > 7000 THEN
          PERFORM set_config('app.read_cache_pending', '*', true);
        ELSIF pending = '' THEN
          PERFORM set_config('app.read_cache_pending', payload, true);
        ELSE
          PERFORM set_config('app.read_cache_pending', pending || ' ' || payload, true);
        END IF;
      END
      $$`);
    await q(`
      CREATE OR REPLACE FUNCTION notify_read_cache() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_LEVEL = 'STATEMENT' THEN
          PERFORM pg_notify('read_cache', TG_TABLE_NAME || ':*');
        ELSE
          PERFORM app_read_cache_changed(TG_TABLE_NAME || ':' || OLD.company_id::text || ':' || OLD.id::text);
        END IF;
        RETURN NULL;
      END
      $$`);
    await q(`
      CREATE OR REPLACE FUNCTION notify_read_cache_numbered() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM app_read_cache_changed('issuance:' || NEW.company_id::text || ':' || NEW.issuance_id::text);
        RETURN NULL;
      END
      $$`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    const q = (text: string) => queryRunner.query(text);
    await q(`
      CREATE OR REPLACE FUNCTION notify_read_cache_numbered() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('read_cache', 'issuance:' || NEW.company_id::text || ':' || NEW.issuance_id::text);
        RETURN NULL;
      END
      $$`);
    await q(`
      CREATE OR REPLACE FUNCTION notify_read_cache() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_LEVEL = 'STATEMENT' THEN
          PERFORM pg_notify('read_cache', TG_TABLE_NAME || ':*');
        ELSE
          PERFORM pg_notify('read_cache', TG_TABLE_NAME || ':' || OLD.company_id::text || ':' || OLD.id::text);
        END IF;
        RETURN NULL;
      END
      $$`);
    await q(`DROP FUNCTION app_read_cache_changed(text)`);
  }
}
