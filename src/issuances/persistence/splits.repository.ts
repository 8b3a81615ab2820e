import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Database, sql } from '../../core/db/database.service';

/** An outstanding security of the class being split, under its row lock. */
export interface SplitSecurityRow {
  id: string;
  shareholder_id: string;
  number_of_shares: string;
  price: string;
  currency: string;
}

/** One security's reissuance in a split: what it becomes. */
export interface SplitReissue {
  transactionId: string;
  securityId: string;
  held: bigint;
  /** The new security (none when the split leaves less than one share). */
  resulting: {
    id: string;
    shareholderId: string;
    shares: bigint;
    price: string;
    total: string;
    currency: string;
  } | null;
  fraction: { numerator: bigint; denominator: bigint; cashAmount: string } | null;
}

export interface SplitRecord {
  id: string;
  shareClassId: string;
  date: string;
  numerator: bigint;
  denominator: bigint;
  authorizedBefore: bigint;
  authorizedAfter: bigint;
  outstandingBefore: bigint;
  outstandingAfter: bigint;
  fractionPrice: string | null;
  reissues: SplitReissue[];
  createdBySub: string;
  createdBy: string;
  requestId: string | null;
}

/** Rows per statement when a split writes its reissuances. */
const BATCH = 5_000;

/** The statements of a class split (stock_class_split, and its reissuances). */
@Injectable()
export class SplitsRepository {
  constructor(private readonly db: Database) {}

  /** The latest date on which any security of the class was issued or spent. */
  async latestLedgerDate(tx: EntityManager, shareClassId: string): Promise<string | null> {
    const [row] = await this.db.rows<{ latest: string | null }>(
      sql`SELECT to_char(max(greatest(date, coalesce(spent_on, date))), 'YYYY-MM-DD') AS latest
            FROM issuance WHERE share_class_id = ${shareClassId}`,
      { tx },
    );
    return row?.latest ?? null;
  }

  /** The class's outstanding securities, oldest first, each row-locked until the end of `tx`. */
  outstandingLocked(tx: EntityManager, shareClassId: string): Promise<SplitSecurityRow[]> {
    return this.db.rows<SplitSecurityRow>(
      sql`SELECT id, shareholder_id, number_of_shares::text AS number_of_shares,
                 price::text AS price, currency
            FROM issuance
           WHERE share_class_id = ${shareClassId} AND status = 'OUTSTANDING'
           ORDER BY date, created_at, id
           FOR UPDATE`,
      { tx },
    );
  }

  /**
   * The split, its reissuances (a few thousand rows per statement), the securities spent and
   * created, and the class's new totals. Answers when it was recorded.
   */
  async record(tx: EntityManager, split: SplitRecord): Promise<Date> {
    const [row] = await this.db.rows<{ recorded_at: Date }>(
      sql`
      INSERT INTO stock_class_split (id, share_class_id, date, numerator, denominator,
                                     authorized_shares_before, authorized_shares_after,
                                     outstanding_before, outstanding_after, securities,
                                     fraction_price_per_share, created_by_sub, created_by, request_id)
      VALUES (${split.id}, ${split.shareClassId}, ${split.date}::date, ${split.numerator.toString()}::bigint,
              ${split.denominator.toString()}::bigint, ${split.authorizedBefore.toString()}::bigint,
              ${split.authorizedAfter.toString()}::bigint, ${split.outstandingBefore.toString()}::bigint,
              ${split.outstandingAfter.toString()}::bigint, ${split.reissues.length},
              ${split.fractionPrice}::numeric, ${split.createdBySub}, ${split.createdBy}, ${split.requestId})
      RETURNING recorded_at`,
      { tx },
    );
    if (!row) throw new Error('the split was not stored');
    for (let start = 0; start < split.reissues.length; start += BATCH) {
      const batch = split.reissues.slice(start, start + BATCH);
      await this.insertReissues(tx, split, batch);
      await this.spend(tx, split, batch);
      await this.insertResulting(tx, split, batch);
    }
    await this.db.run(
      sql`UPDATE share_class SET issued_shares = ${split.outstandingAfter.toString()}::bigint,
                                 authorized_shares = ${split.authorizedAfter.toString()}::bigint
           WHERE id = ${split.shareClassId}`,
      { tx },
    );
    return row.recorded_at;
  }

  private async insertReissues(tx: EntityManager, split: SplitRecord, batch: SplitReissue[]) {
    await this.db.run(
      sql`
      INSERT INTO stock_transaction (id, kind, date, security_id, quantity, reason, resulting_security_ids,
                                     fraction_numerator, fraction_denominator, fraction_price_per_share,
                                     fraction_cash_amount, split_transaction_id, created_by_sub, created_by,
                                     request_id)
      SELECT r.id, 'REISSUANCE', ${split.date}::date, r.security, r.held,
             ${`SPLIT ${split.numerator}/${split.denominator} ${split.id}`},
             CASE WHEN r.resulting IS NULL THEN '{}'::uuid[] ELSE ARRAY[r.resulting] END,
             r.fnum, r.fden, CASE WHEN r.fnum IS NULL THEN NULL ELSE ${split.fractionPrice}::numeric END,
             r.fcash, ${split.id}, ${split.createdBySub}, ${split.createdBy}, ${split.requestId}
        FROM unnest(${batch.map((r) => r.transactionId)}::uuid[], ${batch.map((r) => r.securityId)}::uuid[],
                    ${batch.map((r) => r.held.toString())}::bigint[],
                    ${batch.map((r) => r.resulting?.id ?? null)}::uuid[],
                    ${batch.map((r) => r.fraction?.numerator.toString() ?? null)}::bigint[],
                    ${batch.map((r) => r.fraction?.denominator.toString() ?? null)}::bigint[],
                    ${batch.map((r) => r.fraction?.cashAmount ?? null)}::numeric[])
             AS r(id, security, held, resulting, fnum, fden, fcash)`,
      { tx },
    );
  }

  private async spend(tx: EntityManager, split: SplitRecord, batch: SplitReissue[]) {
    await this.db.run(
      sql`
      UPDATE issuance i SET status = 'REISSUED', spent_by_transaction_id = r.tx, spent_on = ${split.date}::date
        FROM unnest(${batch.map((r) => r.securityId)}::uuid[], ${batch.map((r) => r.transactionId)}::uuid[])
             AS r(security, tx)
       WHERE i.id = r.security AND i.status = 'OUTSTANDING'`,
      { tx },
    );
  }

  private async insertResulting(tx: EntityManager, split: SplitRecord, batch: SplitReissue[]) {
    const created = batch.flatMap((r) =>
      r.resulting ? [{ ...r.resulting, tx: r.transactionId }] : [],
    );
    if (created.length === 0) return;
    await this.db.run(
      sql`
      INSERT INTO issuance (id, shareholder_id, share_class_id, number_of_shares, price, total_amount,
                            currency, date, created_by_sub, created_by, request_id, origin_transaction_id)
      SELECT s.id, s.holder, ${split.shareClassId}, s.shares, s.price, s.total, s.currency,
             ${split.date}::date, ${split.createdBySub}, ${split.createdBy}, ${split.requestId}, s.tx
        FROM unnest(${created.map((c) => c.id)}::uuid[], ${created.map((c) => c.shareholderId)}::uuid[],
                    ${created.map((c) => c.shares.toString())}::bigint[], ${created.map((c) => c.price)}::numeric[],
                    ${created.map((c) => c.total)}::numeric[], ${created.map((c) => c.currency)}::text[],
                    ${created.map((c) => c.tx)}::uuid[])
             AS s(id, holder, shares, price, total, currency, tx)`,
      { tx },
    );
  }
}
