/**
 * The big company's stock ledger after its issuances: terminal transactions (transfers,
 * cancellations, repurchases, conversions of the seed preferred into common) and splits of the
 * Series A preferred, simulated in the order they were recorded, as the service records them. Each
 * transaction spends one whole security outstanding when it is recorded; it is dated on or after
 * the security and never after its recording day (one in ten backdated by up to 30 days); its
 * balance and resulting securities are dated as it is and created when it is recorded. A split
 * reissues every outstanding security of its class on its recording day, the new quantity
 * rounded down and the fraction paid in cash, and scales the class's authorized shares. Drawn
 * from a random source of its own, so the rest of the dataset stays as it was.
 */
import { DAY_MS, isoDate, Rng, rngOf } from './dataset-common';
import type { Calendar, IssuanceRow } from './dataset-ledger';
import {
  atRatio,
  carriedPrice,
  ClassSplit,
  COMMON,
  CONVERSION_RATIO,
  dayOf,
  scaledRatio,
  Security,
  SEED_PREFERRED,
  SERIES_A,
  SimulatedLedger,
  Transaction,
  TransactionKind,
} from './dataset-ledger-model';
import {
  originalOf,
  Slot,
  slotsOf,
  SPLIT_FRACTION_PRICE,
  SPLIT_RATIOS,
} from './dataset-transaction-slots';
import type { Sizes } from './options';

/** Not the big company's seed: its sequence of draws is untouched by the transactions. */
const TRANSACTIONS_SEED = 20_260_303;

const CANCELLATION_REASONS = [
  'Unvested shares forfeited on departure',
  'Issued in error',
  'Cancelled under the shareholders agreement',
];

class LedgerSimulation {
  readonly securities: Security[];
  readonly transactions: Transaction[] = [];
  readonly splits: ClassSplit[] = [];
  /** Each class's outstanding securities, in no order (removed by swapping in the last). */
  private readonly outstanding: Security[][] = [[], [], []];

  constructor(
    private readonly rng: Rng,
    private readonly originals: Security[],
    private readonly holders: number,
    readonly authorized: bigint[],
  ) {
    this.securities = [...originals];
  }

  run(slots: Slot[]): SimulatedLedger {
    let next = 0;
    for (const slot of slots) {
      while (next < this.originals.length && this.originals[next].createdAt <= slot.time) {
        this.add(this.originals[next++]);
      }
      this.record(slot);
    }
    const { securities, transactions, splits, authorized } = this;
    return { securities, transactions, splits, authorized };
  }

  private record(slot: Slot): void {
    if (slot.kind === 'SPLIT') return this.split(slot);
    const security = slot.kind === 'CONVERSION' ? this.pickOf(SEED_PREFERRED) : this.pickAny();
    if (!security) return;
    if (slot.kind === 'TRANSFER') this.transfer(security, slot.time);
    else if (slot.kind === 'CONVERSION') this.conversion(security, slot.time);
    else this.retirement(slot.kind, security, slot.time);
  }

  private add(security: Security): void {
    const list = this.outstanding[security.shareClass];
    security.slot = list.length;
    list.push(security);
  }

  private remove(security: Security): void {
    const list = this.outstanding[security.shareClass];
    const last = list.pop() as Security;
    if (last !== security) {
      list[security.slot] = last;
      last.slot = security.slot;
    }
    security.slot = -1;
  }

  private pickOf(shareClass: number): Security | undefined {
    const list = this.outstanding[shareClass];
    return list[Math.floor(this.rng.random() * list.length)];
  }

  private pickAny(): Security | undefined {
    let at = Math.floor(this.rng.random() * this.outstanding.reduce((n, l) => n + l.length, 0));
    for (const list of this.outstanding) {
      if (at < list.length) return list[at];
      at -= list.length;
    }
    return undefined;
  }

  /** A transaction spending `security`, recorded at `time`; one in ten is backdated. */
  private transaction(kind: TransactionKind, security: Security, time: number, quantity: number) {
    const { random, uuid } = this.rng;
    const back = random() < 0.1 ? (1 + Math.floor(random() * 30)) * DAY_MS : 0;
    const tx: Transaction = {
      id: uuid(),
      kind,
      day: Math.max(security.day, dayOf(time) - back),
      recordedAt: time,
      security,
      quantity,
      price: null,
      considerationText: null,
      reason: null,
      balance: null,
      resulting: [],
      conversion: null,
      fraction: null,
      splitId: null,
      byInternalTool: random() < 0.3,
      requestId: uuid(),
    };
    return tx;
  }

  /** A security `tx` creates: dated as it is, created when it is recorded. */
  private created(
    tx: Transaction,
    holder: number,
    shares: number,
    price: bigint,
    shareClass?: number,
  ) {
    const security: Security = {
      id: this.rng.uuid(),
      holder,
      shareClass: shareClass ?? tx.security.shareClass,
      shares,
      price,
      day: tx.day,
      createdAt: tx.recordedAt,
      level: tx.security.level + 1,
      originTransactionId: tx.id,
      byInternalTool: tx.byInternalTool,
      requestId: tx.requestId,
      spentBy: null,
      slot: -1,
    };
    return security;
  }

  /** Spends the security: its balance and resulting securities become outstanding. */
  private commit(tx: Transaction): void {
    this.remove(tx.security);
    tx.security.spentBy = tx;
    for (const created of [...(tx.balance ? [tx.balance] : []), ...tx.resulting]) {
      this.securities.push(created);
      this.add(created);
    }
    this.transactions.push(tx);
  }

  /** The whole security with probability `whole`, else 1 to all but one of its shares. */
  private quantityOf(held: number, whole: number): number {
    const { random } = this.rng;
    return held < 2 || random() < whole ? held : 1 + Math.floor(random() * (held - 1));
  }

  /** A price of 4 decimals around the security's (70% to 130% of it). */
  private tradePrice(security: Security): bigint {
    const base = Number(security.price / 1_000_000n);
    return BigInt(Math.max(1, Math.round(base * (0.7 + 0.6 * this.rng.random())))) * 1_000_000n;
  }

  private transferees(holder: number, count: number): number[] {
    const chosen = new Set<number>();
    while (chosen.size < count) {
      const other = Math.floor(this.rng.random() * this.holders);
      if (other !== holder) chosen.add(other);
    }
    return [...chosen];
  }

  private transfer(security: Security, time: number): void {
    if (this.holders < 2) return;
    const { random } = this.rng;
    const quantity = this.quantityOf(security.shares, 0.25);
    const r = random();
    const count = Math.min(r < 0.9 ? 1 : r < 0.98 ? 2 : 3, quantity, this.holders - 1);
    const tx = this.transaction('TRANSFER', security, time, quantity);
    tx.price = random() < 0.6 ? this.tradePrice(security) : null;
    tx.considerationText = random() < 0.2 ? `Share purchase agreement of ${isoDate(tx.day)}` : null;
    const each = Math.floor(quantity / count);
    tx.balance =
      quantity < security.shares
        ? this.created(tx, security.holder, security.shares - quantity, security.price)
        : null;
    tx.resulting = this.transferees(security.holder, count).map((holder, i) =>
      this.created(
        tx,
        holder,
        i === count - 1 ? quantity - each * (count - 1) : each,
        tx.price ?? security.price,
      ),
    );
    this.commit(tx);
  }

  /** A cancellation (a reason) or a repurchase (a price): the shares stop being outstanding. */
  private retirement(kind: 'CANCELLATION' | 'REPURCHASE', security: Security, time: number) {
    const { random } = this.rng;
    const tx = this.transaction(kind, security, time, this.quantityOf(security.shares, 0.4));
    if (kind === 'CANCELLATION') {
      tx.reason = CANCELLATION_REASONS[Math.floor(random() * CANCELLATION_REASONS.length)];
    } else {
      tx.price = this.tradePrice(security);
      tx.considerationText = random() < 0.3 ? 'Buy-back under the shareholders agreement' : null;
    }
    const rest = security.shares - tx.quantity;
    tx.balance = rest > 0 ? this.created(tx, security.holder, rest, security.price) : null;
    this.commit(tx);
  }

  /** Seed preferred into common at the class's ratio; half a share left is paid in cash. */
  private conversion(security: Security, time: number): void {
    const quantity = this.quantityOf(security.shares, 0.6);
    const tx = this.transaction('CONVERSION', security, time, quantity);
    const { whole, fraction } = atRatio(quantity, CONVERSION_RATIO);
    const price = carriedPrice(security.price, quantity, whole);
    tx.conversion = CONVERSION_RATIO;
    tx.fraction = fraction && {
      ...fraction,
      price,
      cash: scaledRatio(price, fraction.numerator, fraction.denominator),
    };
    const rest = security.shares - quantity;
    tx.balance = rest > 0 ? this.created(tx, security.holder, rest, security.price) : null;
    tx.resulting = [this.created(tx, security.holder, whole, price, COMMON)];
    this.commit(tx);
  }

  /** Every outstanding security of the Series A reissued at the split's ratio, in one go. */
  private split(slot: Slot): void {
    const ratio = SPLIT_RATIOS[slot.index % SPLIT_RATIOS.length];
    const before = this.authorized[SERIES_A];
    const securities = [...this.outstanding[SERIES_A]].sort(
      (a, b) => a.day - b.day || a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1),
    );
    const split: ClassSplit = {
      id: this.rng.uuid(),
      shareClass: SERIES_A,
      day: dayOf(slot.time),
      recordedAt: slot.time,
      ...ratio,
      authorizedBefore: before,
      authorizedAfter: (before * BigInt(ratio.numerator)) / BigInt(ratio.denominator),
      outstandingBefore: 0,
      outstandingAfter: 0,
      securities: securities.length,
      fractionPrice: ratio.denominator > 1 ? SPLIT_FRACTION_PRICE : null,
      requestId: this.rng.uuid(),
    };
    for (const security of securities) this.reissue(split, security);
    this.authorized[SERIES_A] = split.authorizedAfter;
    this.splits.push(split);
  }

  private reissue(split: ClassSplit, security: Security): void {
    const tx = this.transaction('REISSUANCE', security, split.recordedAt, security.shares);
    Object.assign(tx, { day: split.day, byInternalTool: false, requestId: split.requestId });
    tx.reason = `SPLIT ${split.numerator}/${split.denominator} ${split.id}`;
    tx.splitId = split.id;
    const { whole, fraction } = atRatio(security.shares, split);
    const price = split.fractionPrice;
    tx.fraction =
      fraction && price !== null
        ? { ...fraction, price, cash: scaledRatio(price, fraction.numerator, fraction.denominator) }
        : null;
    if (whole > 0) {
      const carried = carriedPrice(security.price, security.shares, whole);
      tx.resulting = [this.created(tx, security.holder, whole, carried)];
    }
    split.outstandingBefore += security.shares;
    split.outstandingAfter += whole;
    this.commit(tx);
  }
}

/**
 * The ledger's transactions over the original issuances (`issuances`, in creation order), with
 * `authorized` shares per class to begin with.
 */
export function simulateLedger(
  issuances: readonly IssuanceRow[],
  sizes: Sizes,
  calendar: Calendar,
  authorized: bigint,
  classes: number,
): SimulatedLedger {
  const rng = rngOf(TRANSACTIONS_SEED);
  const slots = slotsOf(rng, sizes, calendar);
  const authorizedPerClass = Array.from({ length: classes }, () => authorized);
  const simulation = new LedgerSimulation(
    rng,
    issuances.map(originalOf),
    sizes.holders,
    authorizedPerClass,
  );
  return simulation.run(slots);
}
