import { db } from './db';
import { eventually } from './wait';

export type Counts = Record<string, number>;

/**
 * Row counts of every table of the schema in one query, for "a refused request wrote nothing".
 * Tables listed in `outboxOnly` are left out; instead, the outbox events whose type is not in
 * `allowedEvents` are counted. Tables created later are counted without anyone listing them.
 */
export class RowCounts {
  private constructor(private readonly sql: string) {}

  static async prepare(
    outboxOnly: ReadonlySet<string>,
    allowedEvents: string[],
  ): Promise<RowCounts> {
    const { rows } = await db().query<{ name: string }>(
      "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
    );
    const counted = rows.map((row) => row.name).filter((name) => !outboxOnly.has(name));
    const counts = counted.map((name) => `'${name}', (SELECT count(*) FROM "${name}")`);
    const events = allowedEvents.map((type) => `'${type}'`).join(', ');
    counts.push(
      `'outbox_event (other than security events)', (SELECT count(*) FROM outbox_event WHERE type NOT IN (${events}))`,
    );
    return new RowCounts(`SELECT json_build_object(${counts.join(', ')}) AS counts,
      (SELECT count(*) FROM outbox_event WHERE delivered_at IS NULL AND dead_lettered_at IS NULL)
        + (SELECT count(*) FROM certificate_request) AS background`);
  }

  async now(): Promise<{ counts: Counts; background: number }> {
    const { rows } = await db().query<{ counts: Counts; background: string }>(this.sql);
    return { counts: rows[0].counts, background: Number(rows[0].background) };
  }

  /**
   * The counts once background work (event delivery, certificate renders) has settled, so that
   * what changes next is the effect of the next request; when it does not settle, what is stuck.
   */
  async settled(timeoutMs = 20_000): Promise<Counts> {
    try {
      return await eventually(
        async () => {
          const now = await this.now();
          return now.background === 0 ? now.counts : undefined;
        },
        timeoutMs,
        'event delivery and certificate renders to settle',
        20,
      );
    } catch (error) {
      const { rows } = await db().query<{ what: string; last_error: string | null }>(
        `SELECT type AS what, last_error FROM outbox_event
          WHERE delivered_at IS NULL AND dead_lettered_at IS NULL
         UNION ALL SELECT 'certificate render', last_error FROM certificate_request`,
      );
      throw new Error(`${(error as Error).message}: ${JSON.stringify(rows)}`);
    }
  }
}

/** `table before → after` for every count that differs. */
export function changedCounts(before: Counts, after: Counts): string[] {
  return Object.keys(after)
    .filter((name) => after[name] !== before[name])
    .map((name) => `${name} ${before[name]} → ${after[name]}`);
}
