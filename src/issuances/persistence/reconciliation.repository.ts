import { Inject, Injectable, Optional } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Database, raw, sql, Sql } from '../../core/db/database.service';
import { CERTIFICATE_STATES, CertificateStateRelation } from '../certificate-states.port';

/** One finding of a check, as its statement returns it. */
export interface MismatchRow {
  kind: string;
  shareholder_id: string | null;
  share_class_id: string | null;
  security_id: string | null;
  transaction_id: string | null;
  expected: string | null;
  actual: string | null;
}

export interface CheckedCounts {
  securities: number;
  transactions: number;
  positions: number;
  classes: number;
  pending_certificates: number;
}

/** Without the certificates module: no certificate is known, none pending. */
const NO_CERTIFICATES = sql`SELECT NULL::uuid AS issuance_id, 0 AS active, false AS pending, false AS voided WHERE false`;

/** The status a terminal transaction leaves its security in. */
const SPENT_STATUS = sql`CASE t.kind WHEN 'TRANSFER' THEN 'TRANSFERRED' WHEN 'CANCELLATION' THEN 'CANCELLED'
  WHEN 'REPURCHASE' THEN 'REPURCHASED' WHEN 'CONVERSION' THEN 'CONVERTED' WHEN 'REISSUANCE' THEN 'REISSUED' END`;

/** `t` is not undone by a reversal. */
function notReversed(t: string): Sql {
  return raw(`NOT EXISTS (SELECT 1 FROM stock_transaction rv WHERE rv.company_id = ${t}.company_id
                   AND rv.kind = 'REVERSAL' AND rv.reversed_transaction_id = ${t}.id)`);
}

/** `r` is the reversal of the ledger line that created the security `i`. */
function reversalOfOrigin(r: string, i: string): Sql {
  return raw(`${r}.company_id = ${i}.company_id AND ${r}.kind = 'REVERSAL'
                   AND ${r}.reversed_transaction_id = coalesce(${i}.origin_transaction_id, ${i}.id)`);
}

/**
 * The reconciliation's statements: each recomputes something from the ledger's transactions
 * alone and returns where the stored state disagrees (at most `limit` rows each).
 */
@Injectable()
export class ReconciliationRepository {
  private readonly certificateStates: Sql;

  constructor(
    private readonly db: Database,
    @Optional() @Inject(CERTIFICATE_STATES) states?: CertificateStateRelation,
  ) {
    this.certificateStates = states?.relation ?? NO_CERTIFICATES;
  }

  /** Runs `read` in one REPEATABLE READ snapshot: every check sees the same ledger. */
  async inSnapshot<T>(read: (tx: EntityManager) => Promise<T>): Promise<T> {
    for await (const result of this.db.snapshot(async function* (tx) {
      yield await read(tx);
    }))
      return result;
    throw new Error('the snapshot yielded nothing');
  }

  counts(tx: EntityManager): Promise<CheckedCounts> {
    return this.db
      .rows<CheckedCounts>(
        sql`
        SELECT (SELECT count(*)::int FROM issuance) AS securities,
               (SELECT count(*)::int FROM stock_transaction) AS transactions,
               (SELECT count(*)::int FROM (SELECT DISTINCT shareholder_id, share_class_id FROM issuance) p) AS positions,
               (SELECT count(*)::int FROM share_class) AS classes,
               (SELECT count(*)::int FROM issuance i JOIN (${this.certificateStates}) c ON c.issuance_id = i.id
                 WHERE i.status = 'OUTSTANDING' AND c.active = 0 AND c.pending) AS pending_certificates`,
        { tx },
      )
      .then(([row]) => row);
  }

  /**
   * Each security's status against what the transactions say: spent by the one live (not
   * reversed) transaction on it, or REVERSED by the reversal of the line that created it.
   */
  securityStatuses(tx: EntityManager, limit: number): Promise<MismatchRow[]> {
    return this.db.rows<MismatchRow>(
      sql`
      SELECT 'SECURITY_STATUS' AS kind, i.shareholder_id, i.share_class_id, i.id AS security_id,
             coalesce(r.id, t.id) AS transaction_id,
             x.status || coalesce(' by ' || coalesce(r.id, t.id)::text || ' on ' || coalesce(r.date, t.date)::text, '') AS expected,
             i.status || coalesce(' by ' || i.spent_by_transaction_id::text || ' on ' || i.spent_on::text, '') AS actual
        FROM issuance i
        LEFT JOIN stock_transaction t ON t.company_id = i.company_id AND t.security_id = i.id
                                     AND t.kind <> 'REVERSAL' AND ${notReversed('t')}
        LEFT JOIN stock_transaction r ON ${reversalOfOrigin('r', 'i')}
        CROSS JOIN LATERAL (SELECT CASE WHEN r.id IS NOT NULL THEN 'REVERSED'
                                        ELSE coalesce(${SPENT_STATUS}, 'OUTSTANDING') END AS status) x
       WHERE i.status IS DISTINCT FROM x.status
          OR i.spent_by_transaction_id IS DISTINCT FROM coalesce(r.id, t.id)
          OR i.spent_on IS DISTINCT FROM coalesce(r.date, t.date)
       LIMIT ${limit}`,
      { tx },
    );
  }

  /** Each transaction's reversal mark against the reversal that undid it, if any. */
  reversalMarks(tx: EntityManager, limit: number): Promise<MismatchRow[]> {
    return this.db.rows<MismatchRow>(
      sql`
      SELECT 'REVERSAL_MARK' AS kind, NULL::uuid AS shareholder_id, NULL::uuid AS share_class_id,
             t.security_id, t.id AS transaction_id, coalesce(r.id::text, 'none') AS expected,
             coalesce(t.reversed_by_transaction_id::text, 'none') AS actual
        FROM stock_transaction t
        LEFT JOIN stock_transaction r ON r.company_id = t.company_id AND r.kind = 'REVERSAL'
                                     AND r.reversed_transaction_id = t.id
       WHERE t.reversed_by_transaction_id IS DISTINCT FROM r.id
       LIMIT ${limit}`,
      { tx },
    );
  }

  /** What each transaction created against what it spent. */
  transactionQuantities(tx: EntityManager, limit: number): Promise<MismatchRow[]> {
    return this.db.rows<MismatchRow>(
      sql`
      SELECT 'TRANSACTION_QUANTITIES' AS kind, s.shareholder_id, s.share_class_id, s.id AS security_id,
             x.id AS transaction_id,
             'balance ' || x.expected_balance || ', resulting ' || x.expected_resulting AS expected,
             'balance ' || x.balance || ', resulting ' || x.resulting AS actual
        FROM (SELECT t.id, t.company_id, t.security_id,
                     s.number_of_shares - CASE WHEN t.kind = 'REISSUANCE' THEN s.number_of_shares ELSE t.quantity END
                       AS expected_balance,
                     CASE t.kind WHEN 'TRANSFER' THEN t.quantity
                                 WHEN 'REISSUANCE' THEN coalesce((s.number_of_shares * sp.numerator) / sp.denominator,
                                                                 s.number_of_shares)
                                 WHEN 'CONVERSION' THEN (t.quantity * t.conversion_numerator) / t.conversion_denominator
                                 ELSE 0 END AS expected_resulting,
                     coalesce((SELECT sum(b.number_of_shares) FROM issuance b
                                WHERE b.company_id = t.company_id AND b.origin_transaction_id = t.id
                                  AND b.id = t.balance_security_id), 0) AS balance,
                     coalesce((SELECT sum(r.number_of_shares) FROM issuance r
                                WHERE r.company_id = t.company_id AND r.origin_transaction_id = t.id
                                  AND r.id IS DISTINCT FROM t.balance_security_id), 0) AS resulting
                FROM stock_transaction t
                JOIN issuance s ON s.company_id = t.company_id AND s.id = t.security_id
                LEFT JOIN stock_class_split sp
                       ON sp.company_id = t.company_id AND sp.id = t.split_transaction_id
               WHERE t.kind <> 'REVERSAL') x
        JOIN issuance s ON s.company_id = x.company_id AND s.id = x.security_id
       WHERE x.balance <> x.expected_balance OR x.resulting <> x.expected_resulting
       LIMIT ${limit}`,
      { tx },
    );
  }

  /**
   * Every holder's outstanding shares per class, recomputed from the transactions alone (a
   * security is held until a transaction not reversed since spends it, unless the line that
   * created it was reversed) against the securities' stored status.
   */
  holderPositions(tx: EntityManager, limit: number): Promise<MismatchRow[]> {
    return this.db.rows<MismatchRow>(
      sql`
      WITH ledger AS (
        SELECT i.shareholder_id, i.share_class_id, sum(i.number_of_shares) AS shares
          FROM issuance i
         WHERE NOT EXISTS (SELECT 1 FROM stock_transaction t
                            WHERE t.company_id = i.company_id AND t.security_id = i.id
                              AND t.kind <> 'REVERSAL' AND ${notReversed('t')})
           AND NOT EXISTS (SELECT 1 FROM stock_transaction r WHERE ${reversalOfOrigin('r', 'i')})
         GROUP BY 1, 2
      ), stored AS (
        SELECT shareholder_id, share_class_id, sum(number_of_shares) AS shares
          FROM issuance WHERE status = 'OUTSTANDING' GROUP BY 1, 2
      )
      SELECT 'HOLDER_POSITION' AS kind, coalesce(l.shareholder_id, s.shareholder_id) AS shareholder_id,
             coalesce(l.share_class_id, s.share_class_id) AS share_class_id, NULL::uuid AS security_id,
             NULL::uuid AS transaction_id, coalesce(l.shares, 0)::text AS expected,
             coalesce(s.shares, 0)::text AS actual
        FROM ledger l
        FULL JOIN stored s ON s.shareholder_id = l.shareholder_id AND s.share_class_id = l.share_class_id
       WHERE coalesce(l.shares, 0) <> coalesce(s.shares, 0)
       LIMIT ${limit}`,
      { tx },
    );
  }

  /** Each class's stored outstanding total against its outstanding securities. */
  classTotals(tx: EntityManager, limit: number): Promise<MismatchRow[]> {
    return this.db.rows<MismatchRow>(
      sql`
      SELECT 'CLASS_TOTAL' AS kind, NULL::uuid AS shareholder_id, c.id AS share_class_id,
             NULL::uuid AS security_id, NULL::uuid AS transaction_id,
             coalesce(o.shares, 0)::text AS expected, c.issued_shares::text AS actual
        FROM share_class c
        LEFT JOIN (SELECT share_class_id, sum(number_of_shares) AS shares FROM issuance
                    WHERE status = 'OUTSTANDING' GROUP BY 1) o ON o.share_class_id = c.id
       WHERE c.issued_shares <> coalesce(o.shares, 0)
       LIMIT ${limit}`,
      { tx },
    );
  }

  /** Any day on which a class had more shares outstanding than it had authorized. */
  authorizedOnEveryDate(tx: EntityManager, limit: number): Promise<MismatchRow[]> {
    return this.db.rows<MismatchRow>(
      sql`
      WITH deltas AS (
        SELECT share_class_id, date AS day, number_of_shares AS delta FROM issuance
        UNION ALL
        SELECT share_class_id, spent_on, -number_of_shares FROM issuance WHERE spent_on IS NOT NULL
        UNION ALL
        SELECT share_class_id, date, 0 FROM stock_class_split
        UNION ALL
        SELECT share_class_id, date, 0 FROM authorized_shares_adjustment
      ), running AS (
        SELECT share_class_id, day,
               sum(sum(delta)) OVER (PARTITION BY share_class_id ORDER BY day) AS outstanding
          FROM deltas GROUP BY share_class_id, day
      )
      SELECT 'AUTHORIZED_EXCEEDED' AS kind, NULL::uuid AS shareholder_id, r.share_class_id,
             NULL::uuid AS security_id, NULL::uuid AS transaction_id,
             'at most ' || a.authorized || ' on ' || r.day AS expected,
             r.outstanding::text AS actual
        FROM running r
        JOIN share_class c ON c.id = r.share_class_id
        -- Authorized on a day: what the first later change (a split or an adjustment) found;
        -- with none, today's.
        CROSS JOIN LATERAL (
          SELECT coalesce((SELECT e.before FROM (
                             SELECT date, recorded_at, authorized_shares_before AS before
                               FROM stock_class_split WHERE share_class_id = r.share_class_id
                             UNION ALL
                             SELECT date, recorded_at, previous_authorized_shares
                               FROM authorized_shares_adjustment WHERE share_class_id = r.share_class_id) e
                            WHERE e.date > r.day ORDER BY e.date, e.recorded_at LIMIT 1),
                          c.authorized_shares) AS authorized) a
       WHERE r.outstanding > a.authorized
       ORDER BY r.share_class_id, r.day
       LIMIT ${limit}`,
      { tx },
    );
  }

  /** The first day on which the company, all classes together, exceeded its authorized shares. */
  companyAuthorized(tx: EntityManager): Promise<MismatchRow[]> {
    return this.db.rows<MismatchRow>(
      sql`
      SELECT 'COMPANY_AUTHORIZED_EXCEEDED' AS kind, NULL::uuid AS shareholder_id,
             NULL::uuid AS share_class_id, NULL::uuid AS security_id, NULL::uuid AS transaction_id,
             'at most ' || e.authorized || ' on ' || e.day AS expected, e.outstanding::text AS actual
        FROM app_company_authorized_exceeded(app_company_id(), '-infinity'::date) e`,
      { tx },
    );
  }

  /**
   * Certificates follow the holdings: no active certificate for a spent security, and one for
   * each outstanding security unless its render is pending or its certificate was voided.
   */
  certificates(tx: EntityManager, limit: number): Promise<MismatchRow[]> {
    return this.db.rows<MismatchRow>(
      sql`
      SELECT CASE WHEN i.status = 'OUTSTANDING' THEN 'CERTIFICATE_MISSING'
                  ELSE 'CERTIFICATE_ACTIVE_FOR_SPENT' END AS kind,
             i.shareholder_id, i.share_class_id, i.id AS security_id,
             i.spent_by_transaction_id AS transaction_id,
             CASE WHEN i.status = 'OUTSTANDING' THEN '1 active' ELSE '0 active' END AS expected,
             coalesce(c.active, 0) || ' active' AS actual
        FROM issuance i
        LEFT JOIN (${this.certificateStates}) c ON c.issuance_id = i.id
       WHERE (i.status <> 'OUTSTANDING' AND coalesce(c.active, 0) > 0)
          OR (i.status = 'OUTSTANDING' AND coalesce(c.active, 0) = 0
              AND NOT coalesce(c.pending, false) AND NOT coalesce(c.voided, false))
       LIMIT ${limit}`,
      { tx },
    );
  }
}
