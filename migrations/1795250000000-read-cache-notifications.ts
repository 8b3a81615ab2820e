/**
 * Tells every API instance when a row it may hold in its read cache changes: an issuance (its
 * certificate number is set once), a shareholder's linked user (who may read their holdings), or
 * either table wholesale (TRUNCATE, a restore). Triggers, so no write path can forget it;
 * pg_notify is transactional, so instances hear of a change only once it is committed.
 */
import { MigrationInterface, QueryRunner } from 'typeorm';

export class ReadCacheNotifications1795250000000 implements MigrationInterface {
  name = 'ReadCacheNotifications1795250000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION notify_read_cache() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_LEVEL = 'STATEMENT' THEN
          PERFORM pg_notify('read_cache', TG_TABLE_NAME || ':*');
        ELSE
          PERFORM pg_notify('read_cache', TG_TABLE_NAME || ':' || OLD.id::text);
        END IF;
        RETURN NULL;
      END
      $$`);
    await queryRunner.query(
      `CREATE TRIGGER trg_issuance_read_cache AFTER UPDATE OR DELETE ON issuance
         FOR EACH ROW EXECUTE FUNCTION notify_read_cache()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER trg_issuance_read_cache_truncate AFTER TRUNCATE ON issuance
         FOR EACH STATEMENT EXECUTE FUNCTION notify_read_cache()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER trg_shareholder_read_cache AFTER UPDATE OF user_id ON shareholder
         FOR EACH ROW WHEN (OLD.user_id IS DISTINCT FROM NEW.user_id)
         EXECUTE FUNCTION notify_read_cache()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER trg_shareholder_read_cache_delete AFTER DELETE ON shareholder
         FOR EACH ROW EXECUTE FUNCTION notify_read_cache()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER trg_shareholder_read_cache_truncate AFTER TRUNCATE ON shareholder
         FOR EACH STATEMENT EXECUTE FUNCTION notify_read_cache()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER trg_shareholder_read_cache_truncate ON shareholder`);
    await queryRunner.query(`DROP TRIGGER trg_shareholder_read_cache_delete ON shareholder`);
    await queryRunner.query(`DROP TRIGGER trg_shareholder_read_cache ON shareholder`);
    await queryRunner.query(`DROP TRIGGER trg_issuance_read_cache_truncate ON issuance`);
    await queryRunner.query(`DROP TRIGGER trg_issuance_read_cache ON issuance`);
    await queryRunner.query(`DROP FUNCTION notify_read_cache()`);
  }
}
