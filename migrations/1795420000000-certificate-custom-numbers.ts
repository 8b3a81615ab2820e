import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Certificate numbers an OCF package brings (owned by the issuances and certificates modules).
 *
 * - `issuance.ocf_custom_id`: the OCF `custom_id` of an imported security (the number its
 *   certificate had), kept as it came, set once like the other OCF ids. The export gives it back.
 * - `certificate_assignment.sequence` may be null: the number is the security's `custom_id`, not
 *   one of the class's sequence. A `custom_id` in the class's own format (`CS-000042` in class
 *   `CS`) takes that sequence, so the class's numbering goes on after it and never repeats it.
 */
export class CertificateCustomNumbers1795420000000 implements MigrationInterface {
  name = 'CertificateCustomNumbers1795420000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const q = (text: string) => queryRunner.query(text);
    await q(`ALTER TABLE "issuance" ADD "ocf_custom_id" character varying(200)`);
    await q(`GRANT UPDATE ("ocf_custom_id") ON TABLE "issuance" TO corporate_os_app`);
    await q(`CREATE FUNCTION app_ocf_custom_id_set_once() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.ocf_custom_id IS NOT NULL AND NEW.ocf_custom_id IS DISTINCT FROM OLD.ocf_custom_id THEN
          RAISE EXCEPTION 'the OCF custom id of issuance % is set once', OLD.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'ck_ocf_id_set_once';
        END IF;
        RETURN NEW;
      END $$`);
    await q(`CREATE TRIGGER "trg_issuance_ocf_custom_id" BEFORE UPDATE OF "ocf_custom_id" ON "issuance"
               FOR EACH ROW EXECUTE FUNCTION app_ocf_custom_id_set_once()`);
    await q(`CREATE INDEX "idx_issuance_ocf_custom_id" ON "issuance" ("company_id", "ocf_custom_id")
               WHERE "ocf_custom_id" IS NOT NULL`);
    await q(`ALTER TABLE "certificate_assignment" ALTER COLUMN "sequence" DROP NOT NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    const q = (text: string) => queryRunner.query(text);
    const [{ custom }] = (await q(
      `SELECT count(*)::int AS custom FROM "certificate_assignment" WHERE "sequence" IS NULL`,
    )) as { custom: number }[];
    // A certificate's number is never taken back: undoing this would have to.
    if (custom > 0)
      throw new Error(`${custom} certificates carry numbers an OCF package gave; not undone`);
    await q(`ALTER TABLE "certificate_assignment" ALTER COLUMN "sequence" SET NOT NULL`);
    await q(`DROP INDEX "idx_issuance_ocf_custom_id"`);
    await q(`DROP TRIGGER "trg_issuance_ocf_custom_id" ON "issuance"`);
    await q(`DROP FUNCTION app_ocf_custom_id_set_once()`);
    await q(`ALTER TABLE "issuance" DROP COLUMN "ocf_custom_id"`);
  }
}
