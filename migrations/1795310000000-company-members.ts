import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who may act in a company, and as what: a membership names a Keycloak user (`sub`), a service
 * account (`client_id`), or invites an email address that binds to the first user who logs in with
 * it verified (then `sub` is set). An auditor's engagement may end (`expires_at`). Company-owned
 * like the rest: `company_id` leads every key, row-level security keeps companies apart.
 *
 * Finding a principal's memberships across companies (which companies may they act in?) is the
 * SECURITY DEFINER function `app_memberships_of`; listing the companies of the deployment (for a
 * platform administrator) is `app_companies`.
 */
export class CompanyMembers1795310000000 implements MigrationInterface {
  name = 'CompanyMembers1795310000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const q = (text: string) => queryRunner.query(text);
    await q(`CREATE TABLE "company_member" (
      "company_id" uuid NOT NULL DEFAULT app_company_id(),
      "id" uuid NOT NULL,
      "role" character varying(20) NOT NULL,
      "sub" character varying(255),
      "client_id" character varying(255),
      "email" character varying(320),
      "expires_at" TIMESTAMP WITH TIME ZONE,
      "version" integer NOT NULL DEFAULT 1,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "created_by" character varying(255) NOT NULL,
      CONSTRAINT "ck_company_member_role" CHECK ("role" IN ('admin', 'auditor', 'shareholder')),
      CONSTRAINT "ck_company_member_principal" CHECK (num_nonnulls(sub, client_id) <= 1 AND num_nonnulls(sub, client_id, email) >= 1),
      CONSTRAINT "ck_company_member_email_person" CHECK (email IS NULL OR client_id IS NULL),
      CONSTRAINT "pk_company_member" PRIMARY KEY ("company_id", "id"),
      CONSTRAINT "fk_company_member_company" FOREIGN KEY ("company_id") REFERENCES "company"("id") ON DELETE RESTRICT
    )`);
    await q(
      `CREATE UNIQUE INDEX "uq_company_member_sub" ON "company_member" ("company_id", "sub") WHERE sub IS NOT NULL`,
    );
    await q(
      `CREATE UNIQUE INDEX "uq_company_member_client" ON "company_member" ("company_id", "client_id") WHERE client_id IS NOT NULL`,
    );
    await q(
      `CREATE UNIQUE INDEX "uq_company_member_invitation" ON "company_member" ("company_id", lower("email")) WHERE sub IS NULL AND email IS NOT NULL`,
    );
    // The cross-company lookups, by principal.
    await q(
      `CREATE INDEX "idx_company_member_sub" ON "company_member" ("sub") WHERE sub IS NOT NULL`,
    );
    await q(
      `CREATE INDEX "idx_company_member_client" ON "company_member" ("client_id") WHERE client_id IS NOT NULL`,
    );
    await q(
      `CREATE INDEX "idx_company_member_invitation" ON "company_member" (lower("email")) WHERE sub IS NULL AND email IS NOT NULL`,
    );
    await q(`ALTER TABLE "company_member" ENABLE ROW LEVEL SECURITY`);
    await q(`CREATE POLICY company_isolation ON "company_member"
               USING (company_id = app_company_id()) WITH CHECK (company_id = app_company_id())`);
    await q(`GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "company_member" TO corporate_os_app`);

    // A principal's memberships in every company: by user (and the invitations of their verified
    // email that no user has taken yet), or by service account. Nothing else of any company.
    await q(`CREATE FUNCTION app_memberships_of(p_sub text, p_client_id text, p_email text)
      RETURNS TABLE (company_id uuid, id uuid, role varchar, expires_at timestamptz, bound boolean)
      LANGUAGE sql STABLE AS $$
        SELECT m.company_id, m.id, m.role, m.expires_at, m.sub IS NOT NULL
          FROM company_member m
         WHERE (p_sub IS NOT NULL AND m.sub = p_sub)
            OR (p_client_id IS NOT NULL AND m.client_id = p_client_id)
            OR (p_email IS NOT NULL AND m.sub IS NULL AND lower(m.email) = lower(p_email))
      $$`);
    // The companies where a person is a holder of record: linked by their sub, or an unlinked
    // record with their verified email (the record a first access would link). A holder of record
    // may act there as a shareholder (their own rows only) without a membership.
    await q(
      `CREATE INDEX "idx_shareholder_user_any" ON "shareholder" ("user_id") WHERE user_id IS NOT NULL`,
    );
    await q(
      `CREATE INDEX "idx_shareholder_email_unlinked" ON "shareholder" (lower("email")) WHERE user_id IS NULL`,
    );
    await q(`CREATE FUNCTION app_holder_companies(p_sub text, p_email text)
      RETURNS SETOF uuid LANGUAGE sql STABLE AS $$
        SELECT DISTINCT company_id FROM shareholder
         WHERE (p_sub IS NOT NULL AND user_id = p_sub)
            OR (p_email IS NOT NULL AND user_id IS NULL AND lower(email) = lower(p_email))
      $$`);
    // Every company of the deployment, with its name: for platform administrators only (the
    // service calls it for them alone).
    await q(`CREATE FUNCTION app_companies()
      RETURNS TABLE (id uuid, legal_name varchar, created_at timestamptz)
      LANGUAGE sql STABLE AS $$
        SELECT id, legal_name, created_at FROM company ORDER BY created_at, id
      $$`);
    // The names of the given companies (the caller's own, found by app_memberships_of).
    await q(`CREATE FUNCTION app_company_names(p_ids uuid[])
      RETURNS TABLE (id uuid, legal_name varchar)
      LANGUAGE sql STABLE AS $$
        SELECT id, legal_name FROM company WHERE id = ANY(p_ids)
      $$`);
    for (const fn of [
      'app_memberships_of',
      'app_holder_companies',
      'app_companies',
      'app_company_names',
    ]) {
      await q(`ALTER FUNCTION ${fn} SECURITY DEFINER SET search_path = pg_catalog, public`);
      await q(`REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC`);
      await q(`GRANT EXECUTE ON FUNCTION ${fn} TO corporate_os_app`);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const fn of [
      'app_company_names',
      'app_companies',
      'app_holder_companies',
      'app_memberships_of',
    ]) {
      await queryRunner.query(`DROP FUNCTION ${fn}`);
    }
    await queryRunner.query(`DROP INDEX "idx_shareholder_email_unlinked"`);
    await queryRunner.query(`DROP INDEX "idx_shareholder_user_any"`);
    await queryRunner.query(`DROP TABLE "company_member"`);
  }
}
