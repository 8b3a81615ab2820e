import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Grants outside any plan (owned by the equity-plans module): OCF's EquityCompensationIssuance
 * names a `stock_plan_id` only when it comes from a plan, and a `stock_class_id` either way.
 *
 * - `equity_grant.share_class_id`: the class an exercise or release issues, on every grant. For a
 *   grant from a plan it is the plan's class (set by the service from the locked plan; a plan's
 *   class never changes), filled here for the grants there are.
 * - `equity_grant.stock_plan_id` may be null: the grant takes from no pool, and what of it is
 *   cancelled, forfeited or expires is retired.
 */
export class PlanLessGrants1795430000000 implements MigrationInterface {
  name = 'PlanLessGrants1795430000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const q = (text: string) => queryRunner.query(text);
    await q(`ALTER TABLE "equity_grant" ADD "share_class_id" uuid`);
    await q(`UPDATE "equity_grant" g SET "share_class_id" = p."share_class_id"
               FROM "stock_plan" p WHERE p."company_id" = g."company_id" AND p."id" = g."stock_plan_id"`);
    await q(`ALTER TABLE "equity_grant" ALTER COLUMN "share_class_id" SET NOT NULL`);
    await q(`ALTER TABLE "equity_grant" ADD CONSTRAINT "fk_equity_grant_share_class"
               FOREIGN KEY ("company_id", "share_class_id") REFERENCES "share_class"("company_id", "id")
               ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q(
      `CREATE INDEX "idx_equity_grant_share_class" ON "equity_grant" ("company_id", "share_class_id")`,
    );
    await q(`ALTER TABLE "equity_grant" ALTER COLUMN "stock_plan_id" DROP NOT NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    const q = (text: string) => queryRunner.query(text);
    const [{ planLess }] = (await q(
      `SELECT count(*)::int AS "planLess" FROM "equity_grant" WHERE "stock_plan_id" IS NULL`,
    )) as { planLess: number }[];
    if (planLess > 0) throw new Error(`${planLess} grants are outside any plan; not undone`);
    await q(`ALTER TABLE "equity_grant" ALTER COLUMN "stock_plan_id" SET NOT NULL`);
    await q(`DROP INDEX "idx_equity_grant_share_class"`);
    await q(`ALTER TABLE "equity_grant" DROP CONSTRAINT "fk_equity_grant_share_class"`);
    await q(`ALTER TABLE "equity_grant" DROP COLUMN "share_class_id"`);
  }
}
