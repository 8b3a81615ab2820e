/**
 * The certificate number has one owner, the certificates module: `issuance.certificate_number` (a
 * copy the certificates module wrote into the ledger) goes, and reads join `certificate_assignment`,
 * where the number is given once per issuance. A trigger on that table tells the read caches when an
 * issuance receives its number (the notification `issuance:<id>` the issuance trigger sent when the
 * copy was updated). The render queue keeps the time of the issuance itself, so the worker orders
 * its work without reading the ledger.
 */
import { MigrationInterface, QueryRunner } from 'typeorm';

export class CertificateNumberOwnedByCertificates1795260000000 implements MigrationInterface {
  name = 'CertificateNumberOwnedByCertificates1795260000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // Refuse to drop a copy that disagrees with the owner's record (it never should).
    await queryRunner.query(`
      DO $$ BEGIN
        IF EXISTS (SELECT 1 FROM issuance i LEFT JOIN certificate_assignment a ON a.issuance_id = i.id
                    WHERE i.certificate_number IS NOT NULL
                      AND i.certificate_number IS DISTINCT FROM a.certificate_number) THEN
          RAISE EXCEPTION 'issuance.certificate_number differs from certificate_assignment';
        END IF;
      END $$`);
    await queryRunner.query(`ALTER TABLE issuance DROP COLUMN certificate_number`);
    await queryRunner.query(`
      CREATE FUNCTION notify_read_cache_numbered() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('read_cache', 'issuance:' || NEW.issuance_id::text);
        RETURN NULL;
      END
      $$`);
    await queryRunner.query(
      `CREATE TRIGGER trg_certificate_assignment_read_cache AFTER INSERT ON certificate_assignment
         FOR EACH ROW EXECUTE FUNCTION notify_read_cache_numbered()`,
    );
    await queryRunner.query(
      `ALTER TABLE certificate_request ADD COLUMN issued_at timestamptz NOT NULL DEFAULT now()`,
    );
    await queryRunner.query(
      `UPDATE certificate_request r SET issued_at = i.created_at FROM issuance i WHERE i.id = r.issuance_id`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE certificate_request DROP COLUMN issued_at`);
    await queryRunner.query(
      `DROP TRIGGER trg_certificate_assignment_read_cache ON certificate_assignment`,
    );
    await queryRunner.query(`DROP FUNCTION notify_read_cache_numbered()`);
    await queryRunner.query(
      `ALTER TABLE issuance ADD COLUMN certificate_number character varying(32)`,
    );
    await queryRunner.query(
      `UPDATE issuance i SET certificate_number = a.certificate_number
         FROM certificate_assignment a WHERE a.issuance_id = i.id`,
    );
  }
}
