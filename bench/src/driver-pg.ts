/**
 * The database ceiling: plain `pg` clients inserting one issuance-, one outbox- and one
 * audit-shaped row per transaction into the scratch tables, for `durationS` seconds.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { PgWriteTask, ThroughputResult } from './driver-protocol';
import { actForFirstCompany } from './dataset-common';
import { summarize } from './stats';

export const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)];

export const ACTOR = JSON.stringify({
  sub: 'bench',
  name: 'admin',
  client_id: 'corporate-os-cli',
  roles: ['admin'],
});

/** One transaction of the three inserts. */
async function writeOnce(client: Client, task: PgWriteTask): Promise<void> {
  const issuanceId = randomUUID();
  const eventId = randomUUID();
  const holder = pick(task.holderIds);
  const shareClass = pick(task.classIds);
  const shares = 1 + Math.floor(Math.random() * 1000);
  const snapshot = JSON.stringify({
    id: issuanceId,
    shareholder_id: holder,
    share_class_id: shareClass,
    number_of_shares: shares,
    price: '1.2500',
    total_amount: (shares * 1.25).toFixed(4),
    currency: 'EUR',
    date: '2026-01-01',
  });
  await client.query('BEGIN');
  await client.query(
    `INSERT INTO bench_scratch_issuance (id, shareholder_id, share_class_id, number_of_shares, price, total_amount, currency, date, created_by_sub, created_by, request_id)
     VALUES ($1, $2, $3, $4, $5, $6, 'EUR', CURRENT_DATE, 'bench', 'admin', $7)`,
    [issuanceId, holder, shareClass, shares, '1.2500', (shares * 1.25).toFixed(4), eventId],
  );
  await client.query(
    `INSERT INTO bench_scratch_outbox (id, type, aggregate_type, aggregate_id, payload, actor, request_id, occurred_at)
     VALUES ($1, 'issuance.created', 'issuance', $2, $3, $4, $5, now())`,
    [eventId, issuanceId, `{"before":null,"after":${snapshot}}`, ACTOR, eventId],
  );
  await client.query(
    `INSERT INTO bench_scratch_audit (seq, occurred_at, recorded_at, actor_sub, actor_name, actor_client_id, actor_roles, action, entity_type, entity_id, before, after, request_id, ip, user_agent, outcome, source_event_id, search_text, prev_hash, hash)
     VALUES (nextval('bench_scratch_audit_seq'), now(), now(), 'bench', 'admin', 'corporate-os-cli', '{admin}', 'issuance.created', 'issuance', $1, NULL, $2, $3, '127.0.0.1', 'bench', 'success', $4, $5, $6, $7)`,
    [
      issuanceId,
      snapshot,
      eventId,
      eventId,
      `admin issuance.created issuance ${issuanceId} ${snapshot}`.toLowerCase(),
      randomBytes(32).toString('hex'),
      randomBytes(32).toString('hex'),
    ],
  );
  await client.query('COMMIT');
}

/** Clients acting for the first company, as the API's transactions do. */
export function connectAll(task: { databaseUrl: string; connections: number }): Promise<Client[]> {
  return Promise.all(
    Array.from({ length: task.connections }, async () => {
      const client = new Client({
        connectionString: task.databaseUrl,
        application_name: 'bench-db-ceiling',
      });
      await client.connect();
      // As the API's transactions do: every row carries the company (its column's default).
      await actForFirstCompany(client);
      return client;
    }),
  );
}

/**
 * `once` back to back on every client for `durationS` seconds (or until it answers false: nothing
 * left to do); a transaction that throws is rolled back and counted as failed.
 */
export async function runTransactions(
  task: { databaseUrl: string; connections: number; durationS: number },
  once: (client: Client) => Promise<boolean | void>,
): Promise<ThroughputResult> {
  const latencies: number[] = [];
  let ok = 0;
  let failed = 0;
  const clients = await connectAll(task);
  const startedAt = Date.now();
  const deadline = startedAt + task.durationS * 1000;
  const worker = async (client: Client): Promise<void> => {
    while (Date.now() < deadline) {
      const t0 = process.hrtime.bigint();
      try {
        if ((await once(client)) === false) return;
        ok += 1;
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      } catch {
        failed += 1;
        await client.query('ROLLBACK').catch(() => undefined);
      }
    }
  };
  try {
    await Promise.all(clients.map(worker));
  } finally {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  }
  const endedAt = Date.now();
  const durationS = (endedAt - startedAt) / 1000;
  return {
    ok,
    failed,
    statusCounts: {},
    errors: 0,
    durationS,
    rps: ok / durationS,
    latency: summarize(latencies),
    startedAt,
    endedAt,
  };
}

export function pgWrite(task: PgWriteTask): Promise<ThroughputResult> {
  return runTransactions(task, (client) => writeOnce(client, task));
}
