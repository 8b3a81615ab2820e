import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { PRIVILEGES_SQL, privilegeProblem } from './provision';

/**
 * Checked once at start, after migrations: the API's database role must not be able to change the
 * schema or step around its rules (triggers, row-level security, grants). In production a
 * privileged role stops the start, unless the operator says otherwise on purpose; elsewhere it is
 * a warning, so ad-hoc local set-ups keep working.
 */
export async function checkLeastPrivilege(
  dataSource: DataSource,
  options: { production: boolean; allowPrivileged: boolean },
): Promise<void> {
  const [me] = await dataSource.query<{ role: string }[]>('SELECT current_user AS role');
  const rows = await dataSource.query<Parameters<typeof privilegeProblem>[0][]>(PRIVILEGES_SQL, [
    me?.role,
  ]);
  const problem = privilegeProblem(rows[0]);
  if (!problem) return;
  const message = `The database role "${me?.role}" of DATABASE_URL ${problem}; the API should connect as a member of corporate_os_app (see README, "Database roles")`;
  if (options.production && !options.allowPrivileged) {
    throw new Error(
      `${message}. Refusing to start (DATABASE_ALLOW_PRIVILEGED_ROLE=true overrides)`,
    );
  }
  new Logger('Database').warn(message);
}
