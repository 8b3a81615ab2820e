/** Relay leases (claimed_by) and the listener idempotency table. */
import { MigrationInterface, QueryRunner } from 'typeorm';

export class AddOutboxLeaseAndProcessedEvents1795240593079 implements MigrationInterface {
  name = 'AddOutboxLeaseAndProcessedEvents1795240593079';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "processed_event" ("event_id" uuid NOT NULL, "consumer" character varying(64) NOT NULL, "processed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_processed_event" PRIMARY KEY ("event_id", "consumer"))`,
    );
    await queryRunner.query(`ALTER TABLE "outbox_event" ADD "claimed_by" character varying(100)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "outbox_event" DROP COLUMN "claimed_by"`);
    await queryRunner.query(`DROP TABLE "processed_event"`);
  }
}
