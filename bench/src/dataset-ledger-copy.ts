/**
 * Loads the simulated stock ledger (`dataset-transactions.ts`) after the original issuances, with
 * COPY, in the order the foreign keys need: level by level the transactions spending securities
 * of that level and the securities they created (a transaction's security exists before it, its
 * new securities after it); then the class splits, and their reissuances are linked to them (a
 * split recorded first would make the schema's authorized-shares trigger recheck the class's
 * whole history for every security copied with an earlier date). The spent securities then get
 * their status, transaction and date in one UPDATE (the two foreign keys between a security and
 * the transaction that spends it cannot both hold for a row copied before the other), and each
 * class its outstanding total and its authorized shares after the splits.
 */
import type { Client } from 'pg';
import { copyInto, copyLine, textArray } from './copy';
import { isoDate, TableLoad, timed } from './dataset-common';
import {
  ClassSplit,
  decimal10,
  Security,
  SimulatedLedger,
  SPENT_STATUS,
  Transaction,
} from './dataset-ledger-model';
import type { Writers } from './dataset-ledger';

const SPLIT_COLUMNS = [
  'id',
  'share_class_id',
  'date',
  'numerator',
  'denominator',
  'authorized_shares_before',
  'authorized_shares_after',
  'outstanding_before',
  'outstanding_after',
  'securities',
  'fraction_price_per_share',
  'recorded_at',
  'created_by_sub',
  'created_by',
  'request_id',
];

const TRANSACTION_COLUMNS = [
  'id',
  'kind',
  'date',
  'recorded_at',
  'security_id',
  'quantity',
  'price_per_share',
  'total_amount',
  'currency',
  'consideration_text',
  'reason',
  'balance_security_id',
  'resulting_security_ids',
  'conversion_numerator',
  'conversion_denominator',
  'fraction_numerator',
  'fraction_denominator',
  'fraction_price_per_share',
  'fraction_cash_amount',
  'split_transaction_id',
  'created_by_sub',
  'created_by',
  'request_id',
];

const SECURITY_COLUMNS = [
  'id',
  'shareholder_id',
  'share_class_id',
  'number_of_shares',
  'price',
  'total_amount',
  'currency',
  'date',
  'created_at',
  'created_by_sub',
  'created_by',
  'request_id',
  'origin_transaction_id',
];

/** What the rows refer to by index: the holders' and classes' ids, the actors. */
export interface LedgerRefs {
  holderIds: string[];
  classIds: string[];
  writers: Writers;
  currency: string;
}

const actorOf = (refs: LedgerRefs, byInternalTool: boolean) =>
  byInternalTool ? refs.writers.internalTool : refs.writers.admin;

const money = (value: bigint | null): string | null => (value === null ? null : decimal10(value));

function splitLine(split: ClassSplit, refs: LedgerRefs): string {
  const { admin } = refs.writers;
  return copyLine([
    split.id,
    refs.classIds[split.shareClass],
    isoDate(split.day),
    split.numerator,
    split.denominator,
    split.authorizedBefore,
    split.authorizedAfter,
    split.outstandingBefore,
    split.outstandingAfter,
    split.securities,
    money(split.fractionPrice),
    new Date(split.recordedAt).toISOString(),
    admin.sub,
    admin.name,
    split.requestId,
  ]);
}

function transactionLine(tx: Transaction, refs: LedgerRefs): string {
  const actor = actorOf(refs, tx.byInternalTool);
  return copyLine([
    tx.id,
    tx.kind,
    isoDate(tx.day),
    new Date(tx.recordedAt).toISOString(),
    tx.security.id,
    tx.quantity,
    money(tx.price),
    tx.price === null ? null : decimal10(tx.price * BigInt(tx.quantity)),
    tx.price === null ? null : refs.currency,
    tx.considerationText,
    tx.reason,
    tx.balance?.id ?? null,
    textArray(tx.resulting.map((s) => s.id)),
    tx.conversion?.numerator ?? null,
    tx.conversion?.denominator ?? null,
    tx.fraction?.numerator ?? null,
    tx.fraction?.denominator ?? null,
    money(tx.fraction?.price ?? null),
    money(tx.fraction?.cash ?? null),
    null, // split_transaction_id: linked once the splits are loaded
    actor.sub,
    actor.name,
    tx.requestId,
  ]);
}

function securityLine(security: Security, refs: LedgerRefs): string {
  const actor = actorOf(refs, security.byInternalTool);
  return copyLine([
    security.id,
    refs.holderIds[security.holder],
    refs.classIds[security.shareClass],
    security.shares,
    decimal10(security.price),
    decimal10(security.price * BigInt(security.shares)),
    refs.currency,
    isoDate(security.day),
    new Date(security.createdAt).toISOString(),
    actor.sub,
    actor.name,
    security.requestId,
    security.originTransactionId,
  ]);
}

/** Items by level, in their order within each level. */
function byLevel<T>(items: readonly T[], level: (item: T) => number): T[][] {
  const levels: T[][] = [];
  for (const item of items) (levels[level(item)] ??= []).push(item);
  return levels;
}

async function copyRows(
  client: Client,
  simulated: SimulatedLedger,
  refs: LedgerRefs,
): Promise<{ rows: number; copyBytes: number }> {
  const total = { rows: 0, copyBytes: 0 };
  const add = (stats: { rows: number; bytes: number }) => {
    total.rows += stats.rows;
    total.copyBytes += stats.bytes;
  };
  const transactions = byLevel(simulated.transactions, (tx) => tx.security.level);
  const created = byLevel(
    simulated.securities.filter((s) => s.level > 0),
    (s) => s.level - 1,
  );
  for (let level = 0; level < transactions.length; level += 1) {
    const spending = (transactions[level] ?? []).map((tx) => transactionLine(tx, refs));
    if (spending.length > 0) {
      add(await copyInto(client, 'stock_transaction', TRANSACTION_COLUMNS, spending));
    }
    const securities = (created[level] ?? []).map((s) => securityLine(s, refs));
    if (securities.length > 0)
      add(await copyInto(client, 'issuance', SECURITY_COLUMNS, securities));
  }
  const lines = simulated.splits.map((split) => splitLine(split, refs));
  if (lines.length > 0) add(await copyInto(client, 'stock_class_split', SPLIT_COLUMNS, lines));
  return total;
}

/** Each split's reissuances, linked to it. */
async function linkReissuances(client: Client, simulated: SimulatedLedger): Promise<number> {
  const reissues = simulated.transactions.filter((tx) => tx.splitId !== null);
  if (reissues.length === 0) return 0;
  const result = await client.query(
    `UPDATE stock_transaction t SET split_transaction_id = r.split
       FROM unnest($1::uuid[], $2::uuid[]) AS r(id, split)
      WHERE t.company_id = app_first_company_id() AND t.id = r.id`,
    [reissues.map((tx) => tx.id), reissues.map((tx) => tx.splitId)],
  );
  return result.rowCount ?? 0;
}

/** The ledger's transactions, their securities, and every class's totals after them. */
export async function loadTransactions(
  client: Client,
  loads: TableLoad[],
  simulated: SimulatedLedger,
  refs: LedgerRefs,
): Promise<void> {
  await timed(
    loads,
    'stock_transaction and the securities they created (COPY, by level), stock_class_split',
    () => copyRows(client, simulated, refs),
  );
  await timed(loads, 'stock_transaction: reissuances linked to their split (UPDATE)', async () => ({
    rows: await linkReissuances(client, simulated),
  }));
  await timed(loads, 'issuance: spent securities (UPDATE from stock_transaction)', async () => {
    const status = Object.entries(SPENT_STATUS)
      .map(([kind, spent]) => `WHEN '${kind}' THEN '${spent}'`)
      .join(' ');
    const result = await client.query(
      `UPDATE issuance i SET status = CASE t.kind ${status} END, spent_by_transaction_id = t.id, spent_on = t.date
         FROM stock_transaction t
        WHERE t.company_id = app_first_company_id() AND i.company_id = t.company_id AND i.id = t.security_id`,
    );
    return { rows: result.rowCount ?? 0 };
  });
  await timed(loads, 'share_class: outstanding totals and authorized shares', async () => {
    const result = await client.query(
      `UPDATE share_class c SET issued_shares = COALESCE(s.total, 0), authorized_shares = a.authorized
         FROM unnest($1::uuid[], $2::bigint[]) AS a(id, authorized)
         LEFT JOIN (SELECT share_class_id, SUM(number_of_shares) AS total FROM issuance
                     WHERE company_id = app_first_company_id() AND status = 'OUTSTANDING' GROUP BY 1) s
                ON s.share_class_id = a.id
        WHERE c.company_id = app_first_company_id() AND c.id = a.id`,
      [refs.classIds, simulated.authorized.map(String)],
    );
    return { rows: result.rowCount ?? 0 };
  });
}
