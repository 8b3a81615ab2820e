import { MigrationInterface, QueryRunner } from 'typeorm';

/** The transactional outbox: events are written with the change they describe. */
export class CreateOutboxEvent1795240221000 implements MigrationInterface {
  name = 'CreateOutboxEvent1795240221000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "outbox_event" ("id" uuid NOT NULL, "position" BIGSERIAL NOT NULL, "type" character varying(100) NOT NULL, "aggregate_type" character varying(50) NOT NULL, "aggregate_id" uuid NOT NULL, "payload" jsonb NOT NULL, "actor" jsonb NOT NULL, "request_id" character varying(128), "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "attempts" integer NOT NULL DEFAULT '0', "last_error" text, "delivered_at" TIMESTAMP WITH TIME ZONE, "dead_lettered_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "pk_outbox_event" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_outbox_event_aggregate" ON "outbox_event" ("aggregate_type", "aggregate_id")`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_outbox_event_pending" ON "outbox_event" ("next_attempt_at") WHERE delivered_at IS NULL AND dead_lettered_at IS NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "outbox_event"`);
  }
}
