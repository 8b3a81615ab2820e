/**
 * When the stock ledger's transactions of the dataset are recorded (`dataset-transactions.ts`
 * records them in this order): the slots of each kind spread uniformly over the company's years
 * from its 30th day on, 8h to 18h UTC on their day, and the splits of the Series A preferred at
 * fixed points of the years, at noon; and the original issuances as securities of the ledger.
 */
import { DAY_MS, Rng } from './dataset-common';
import type { Calendar, IssuanceRow } from './dataset-ledger';
import type { Security, TransactionKind } from './dataset-ledger-model';
import type { Sizes } from './options';

/** The splits of the Series A preferred, in turn: 2-for-1, then 3-for-2 (fractions paid out). */
export const SPLIT_RATIOS = [
  { numerator: 2, denominator: 1 },
  { numerator: 3, denominator: 2 },
];
/** Where in the 5 years the splits fall, in turn. */
const SPLIT_AT = [0.4, 0.75, 0.55, 0.9];
/** The cash paid per share for a split's fractions: 2.5. */
export const SPLIT_FRACTION_PRICE = 25_000_000_000n;

export interface Slot {
  time: number;
  kind: Exclude<TransactionKind, 'REISSUANCE'> | 'SPLIT';
  index: number;
}

/** The transactions' slots in the order they are recorded: uniform over the years, 8h to 18h. */
export function slotsOf({ random }: Rng, sizes: Sizes, calendar: Calendar): Slot[] {
  const slots: Slot[] = [];
  const counts = [
    ['TRANSFER', sizes.transfers],
    ['CANCELLATION', sizes.cancellations],
    ['REPURCHASE', sizes.repurchases],
    ['CONVERSION', sizes.conversions],
  ] as const;
  const firstDay = Math.min(30, calendar.spanDays);
  for (const [kind, count] of counts) {
    for (let index = 0; index < count; index += 1) {
      const day = firstDay + Math.floor(random() * (calendar.spanDays - firstDay + 1));
      const hour = 8 * 3_600_000 + Math.floor(random() * 10 * 3_600_000);
      slots.push({ time: calendar.formation + day * DAY_MS + hour, kind, index });
    }
  }
  for (let index = 0; index < sizes.splits; index += 1) {
    const day = Math.floor(calendar.spanDays * SPLIT_AT[index % SPLIT_AT.length]) + index;
    slots.push({ time: calendar.formation + day * DAY_MS + 12 * 3_600_000, kind: 'SPLIT', index });
  }
  return slots.sort((a, b) => a.time - b.time);
}

/** An original issuance as a security of the simulation. */
export function originalOf(row: IssuanceRow): Security {
  return {
    id: row.id,
    holder: row.holder,
    shareClass: row.shareClass,
    shares: row.shares,
    price: BigInt(row.price.replace('.', '')) * 1_000_000n,
    day: Date.parse(row.date),
    createdAt: Date.parse(row.createdAt),
    level: 0,
    originTransactionId: null,
    byInternalTool: row.byInternalTool,
    requestId: '',
    spentBy: null,
    slot: -1,
  };
}
