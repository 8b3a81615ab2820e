/**
 * The ledger's database ceiling: plain `pg` clients doing a transfer's writes into scratch copies
 * of the real tables, one transfer per transaction: lock the security (SELECT … FOR UPDATE), spend
 * it (UPDATE), insert the transaction, its balance and resulting securities (one INSERT) and its
 * three outbox rows (`stock.transaction_recorded`, an `issuance.created` per new security, one
 * INSERT), like the service's transfer of part of a security to one other holder. Rows are found
 * by their whole primary key (company_id, id), as row-level security lets the service's own
 * statements do. Each spends the
 * next security of the pool; the balances it creates join the end of the pool, so a run never
 * runs out.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import type { PgTransferTask, ThroughputResult } from './driver-protocol';
import { ACTOR, pick, runTransactions } from './driver-pg';

interface LockedSecurity {
  id: string;
  shareholder_id: string;
  share_class_id: string;
  number_of_shares: string;
  price: string;
  currency: string;
  date: string;
  status: string;
}

/** The payloads, shaped (and sized) like the service's. */
function outboxRows(security: LockedSecurity, tx: Record<string, unknown>, created: unknown[][]) {
  const position = (holder: string, shares: string) => ({
    shareholder_id: holder,
    share_class_id: security.share_class_id,
    shares: Number(shares),
  });
  const recorded = {
    transaction: { ...tx, spent_status: 'TRANSFERRED' },
    before: { positions: [position(security.shareholder_id, security.number_of_shares)] },
    after: {
      positions: created.map(([, holder, shares]) => position(String(holder), String(shares))),
    },
  };
  const issued = created.map(([id, holder, shares]) => ({
    before: null,
    after: {
      id,
      shareholder_id: holder,
      share_class_id: security.share_class_id,
      number_of_shares: shares,
      price: security.price,
      currency: security.currency,
      date: tx.date,
    },
  }));
  return {
    ids: [randomUUID(), ...created.map(() => randomUUID())],
    types: ['stock.transaction_recorded', ...created.map(() => 'issuance.created')],
    aggregateTypes: ['stock_transaction', ...created.map(() => 'issuance')],
    aggregateIds: [String(tx.id), ...created.map(([id]) => String(id))],
    payloads: [recorded, ...issued].map((payload) => JSON.stringify(payload)),
  };
}

async function insertOutbox(
  client: Client,
  rows: ReturnType<typeof outboxRows>,
  requestId: string,
) {
  await client.query(
    `INSERT INTO bench_scratch_ledger_outbox (id, type, aggregate_type, aggregate_id, payload, actor, request_id, occurred_at)
     SELECT e.id, e.type, e.aggregate_type, e.aggregate_id, e.payload, $6::jsonb, $7, now()
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5::jsonb[])
            AS e(id, type, aggregate_type, aggregate_id, payload)`,
    [rows.ids, rows.types, rows.aggregateTypes, rows.aggregateIds, rows.payloads, ACTOR, requestId],
  );
}

/** The balance and resulting securities, in one insert. */
async function insertSecurities(
  client: Client,
  security: LockedSecurity,
  created: unknown[][],
  { txId, requestId }: { txId: string; requestId: string },
) {
  await client.query(
    `INSERT INTO bench_scratch_security (id, shareholder_id, share_class_id, number_of_shares, price, total_amount, currency, date, created_by_sub, created_by, request_id, origin_transaction_id)
     SELECT s.id, s.holder, $4, s.shares, $5::numeric, s.shares * $5::numeric, $6, CURRENT_DATE, 'bench', 'admin', $7, $8
       FROM unnest($1::uuid[], $2::uuid[], $3::bigint[]) AS s(id, holder, shares)`,
    [
      created.map(([id]) => id),
      created.map(([, holder]) => holder),
      created.map(([, , shares]) => shares),
      security.share_class_id,
      security.price,
      security.currency,
      requestId,
      txId,
    ],
  );
}

/** One transfer; answers the balance it left, if any. */
async function transferOnce(
  client: Client,
  security: LockedSecurity,
  holderIds: string[],
): Promise<string | null> {
  const held = Number(security.number_of_shares);
  const quantity = held > 1 ? 1 + Math.floor(Math.random() * (held - 1)) : held;
  let to = pick(holderIds);
  while (to === security.shareholder_id && holderIds.length > 1) to = pick(holderIds);
  const txId = randomUUID();
  const requestId = randomUUID();
  const balance = quantity < held ? [randomUUID(), security.shareholder_id, held - quantity] : null;
  const created = [...(balance ? [balance] : []), [randomUUID(), to, quantity]];
  await client.query(
    `UPDATE bench_scratch_security SET status = 'TRANSFERRED', spent_by_transaction_id = $2, spent_on = CURRENT_DATE
      WHERE company_id = app_first_company_id() AND id = $1 AND status = 'OUTSTANDING'`,
    [security.id, txId],
  );
  await client.query(
    `INSERT INTO bench_scratch_transaction (id, kind, date, security_id, quantity, balance_security_id, resulting_security_ids, created_by_sub, created_by, request_id)
     VALUES ($1, 'TRANSFER', CURRENT_DATE, $2, $3, $4, $5::uuid[], 'bench', 'admin', $6)`,
    [
      txId,
      security.id,
      quantity,
      balance?.[0] ?? null,
      [created[created.length - 1][0]],
      requestId,
    ],
  );
  await insertSecurities(client, security, created, { txId, requestId });
  const tx = { id: txId, kind: 'TRANSFER', date: new Date().toISOString().slice(0, 10), quantity };
  await insertOutbox(
    client,
    outboxRows(security, { ...tx, security_id: security.id }, created),
    requestId,
  );
  return balance ? String(balance[0]) : null;
}

export function pgTransfer(task: PgTransferTask): Promise<ThroughputResult> {
  const pool = [...task.securityIds];
  let next = 0;
  return runTransactions(task, async (client) => {
    const id = pool[next++];
    if (id === undefined) return false;
    await client.query('BEGIN');
    const { rows } = await client.query<LockedSecurity>(
      `SELECT id, shareholder_id, share_class_id, number_of_shares::text AS number_of_shares,
              price::text AS price, currency, to_char(date, 'YYYY-MM-DD') AS date, status
         FROM bench_scratch_security WHERE company_id = app_first_company_id() AND id = $1 FOR UPDATE`,
      [id],
    );
    const security = rows[0];
    if (security?.status !== 'OUTSTANDING') throw new Error(`security ${id} is not outstanding`);
    const balance = await transferOnce(client, security, task.holderIds);
    await client.query('COMMIT');
    if (balance) pool.push(balance);
    return true;
  });
}
