/**
 * Phase `audit`: the audit search (actor + action + a one-year window), page 1 and the cursor
 * page `deepPages`, each beside the service's own page SQL (`auditPageSql`) timed through `pg`,
 * with its plan.
 */
import type { BenchContext } from '../context';
import type { Dataset } from '../dataset';
import { http, sql } from '../measure';
import { auditPageStatement, explain } from '../sql-limits';

/** Walks the pages to the deep one's cursor, as a client would. */
async function deepCursor(ctx: BenchContext, firstPath: string): Promise<string | undefined> {
  const auditor = await ctx.tokens.passwordGrant('auditor');
  let cursor: string | undefined;
  const walkStarted = Date.now();
  for (let page = 1; page < ctx.opts.deepPages; page += 1) {
    const response = await fetch(`${ctx.base}${firstPath}${cursor ? `&cursor=${cursor}` : ''}`, {
      headers: { authorization: `Bearer ${auditor}` },
    });
    const body = (await response.json()) as { items?: unknown[]; next_cursor?: string | null };
    if (!response.ok || !body.next_cursor) {
      throw new Error(
        `audit page ${page} has no next page (${response.status}): the filter matches too few entries`,
      );
    }
    cursor = body.next_cursor;
  }
  ctx.writes.auditWalk = {
    pagesWalked: ctx.opts.deepPages - 1,
    seconds: (Date.now() - walkStarted) / 1000,
  };
  return cursor;
}

export async function audit(ctx: BenchContext, data: Dataset): Promise<void> {
  await ctx.phase('audit', async () => {
    const f = data.auditFilter;
    const query = new URLSearchParams({ actor: f.actor, action: f.action, from: f.from, to: f.to });
    const firstPath = `/api/audit/?${query.toString()}`;
    const cursor = await deepCursor(ctx, firstPath);
    const deepPage = ctx.opts.deepPages;
    const filter = { actor: f.actor, action: [f.action], from: f.from, to: f.to };
    const first = auditPageStatement(filter, 50);
    const deep = auditPageStatement(filter, 50, cursor);
    const asApi = await ctx.apiDatabase();
    ctx.plans['audit first page SQL'] = await explain(asApi, first);
    ctx.plans[`audit page ${deepPage} SQL`] = await explain(asApi, deep);
    const latency = { user: 'auditor', connections: ctx.opts.latencyConnections } as const;
    await sql(ctx, 'audit_first_sql', 'audit filter SQL, first page (limit)', first);
    await http(ctx, 'audit_first', 'GET /api/audit/?actor&action&from&to (page 1)', ctx.base, {
      paths: [firstPath],
      ...latency,
    });
    await sql(ctx, 'audit_deep_sql', `audit filter SQL, page ${deepPage} (limit)`, deep);
    await http(ctx, 'audit_deep', `GET /api/audit/?… (cursor page ${deepPage})`, ctx.base, {
      paths: [`${firstPath}&cursor=${cursor}`],
      ...latency,
    });
  });
}
