import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Aggregate ids of login events are Keycloak subjects or attempted usernames, not always UUIDs.
 * Changed in place (TypeORM's generated drop-and-add would lose the column's data).
 */
export class WidenOutboxAggregateId1795240760600 implements MigrationInterface {
  name = 'WidenOutboxAggregateId1795240760600';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "outbox_event" ALTER COLUMN "aggregate_id" TYPE character varying(255) USING "aggregate_id"::text`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "outbox_event" ALTER COLUMN "aggregate_id" TYPE uuid USING "aggregate_id"::uuid`,
    );
  }
}
