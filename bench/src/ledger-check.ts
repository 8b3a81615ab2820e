/**
 * The stock ledger's own invariants, checked with SQL on the loaded dataset before anything is
 * measured (the service's `GET /api/ledger/reconciliation` checks the big company again in the
 * `reconciliation` phase): every spent security has exactly one spending transaction (the
 * status, transaction and date it says), every outstanding one none; each transaction's balance
 * and resulting securities hold what it spent (balance + resulting + retired = the security's
 * shares, at the conversion's or split's ratio, rounded down), dated as it is, none recorded
 * before its security; each split reissued exactly its class's outstanding securities; each
 * class's outstanding total is the sum of its outstanding securities, within its authorized
 * shares (after its latest split); and in the companies with certificates, every outstanding
 * security has an active certificate or a pending render, no spent one an active certificate.
 * Each check answers how many rows break it.
 */
import type { Client } from 'pg';

const SPENT_STATUS = `CASE t.kind WHEN 'TRANSFER' THEN 'TRANSFERRED' WHEN 'CANCELLATION' THEN 'CANCELLED'
  WHEN 'REPURCHASE' THEN 'REPURCHASED' WHEN 'CONVERSION' THEN 'CONVERTED' WHEN 'REISSUANCE' THEN 'REISSUED' END`;

const CHECKS: Record<string, string> = {
  securityStatus: `
    SELECT count(*) FROM issuance i
      LEFT JOIN stock_transaction t ON t.company_id = i.company_id AND t.security_id = i.id
     WHERE (t.id IS NULL) <> (i.status = 'OUTSTANDING')
        OR i.spent_by_transaction_id IS DISTINCT FROM t.id OR i.spent_on IS DISTINCT FROM t.date
        OR i.status <> COALESCE(${SPENT_STATUS}, 'OUTSTANDING')`,
  transactionQuantities: `
    SELECT count(*) FROM stock_transaction t
      JOIN issuance s ON s.company_id = t.company_id AND s.id = t.security_id
      LEFT JOIN stock_class_split sp ON sp.company_id = t.company_id AND sp.id = t.split_transaction_id
      CROSS JOIN LATERAL (
        SELECT COALESCE(sum(n.number_of_shares) FILTER (WHERE n.id = t.balance_security_id), 0) AS balance,
               count(*) FILTER (WHERE n.id = t.balance_security_id) AS balances,
               COALESCE(sum(n.number_of_shares) FILTER (WHERE n.id IS DISTINCT FROM t.balance_security_id), 0) AS resulting,
               COALESCE(array_agg(n.id ORDER BY n.id) FILTER (WHERE n.id IS DISTINCT FROM t.balance_security_id), '{}') AS resulting_ids,
               COALESCE(bool_and(n.date = t.date), true) AS dated
          FROM issuance n WHERE n.company_id = t.company_id AND n.origin_transaction_id = t.id) c
     WHERE c.balance <> s.number_of_shares - CASE WHEN t.kind = 'REISSUANCE' THEN s.number_of_shares ELSE t.quantity END
        OR c.resulting <> CASE t.kind WHEN 'TRANSFER' THEN t.quantity
                                      WHEN 'CONVERSION' THEN t.quantity * t.conversion_numerator / t.conversion_denominator
                                      WHEN 'REISSUANCE' THEN COALESCE(s.number_of_shares * sp.numerator / sp.denominator, s.number_of_shares)
                                      ELSE 0 END
        OR (t.balance_security_id IS NULL) <> (c.balances = 0)
        OR c.resulting_ids <> ARRAY(SELECT r FROM unnest(t.resulting_security_ids) AS r ORDER BY r)
        OR (t.kind = 'REISSUANCE' AND t.quantity <> s.number_of_shares)
        OR NOT c.dated`,
  recordedInOrder: `
    SELECT count(*) FROM stock_transaction t
      JOIN issuance s ON s.company_id = t.company_id AND s.id = t.security_id
     WHERE t.recorded_at < s.created_at OR t.date > (t.recorded_at AT TIME ZONE 'UTC')::date`,
  splits: `
    SELECT count(*) FROM stock_class_split sp
      CROSS JOIN LATERAL (
        SELECT count(*) AS securities, COALESCE(sum(t.quantity), 0) AS before,
               COALESCE(sum((SELECT sum(n.number_of_shares) FROM issuance n
                               WHERE n.company_id = t.company_id AND n.origin_transaction_id = t.id)), 0) AS after
          FROM stock_transaction t WHERE t.company_id = sp.company_id AND t.split_transaction_id = sp.id) r
     WHERE r.securities <> sp.securities OR r.before <> sp.outstanding_before OR r.after <> sp.outstanding_after`,
  classTotals: `
    SELECT count(*) FROM share_class c
     WHERE c.issued_shares <> COALESCE((SELECT sum(number_of_shares) FROM issuance i
                                         WHERE i.company_id = c.company_id AND i.share_class_id = c.id
                                           AND i.status = 'OUTSTANDING'), 0)
        OR c.issued_shares > c.authorized_shares
        OR c.authorized_shares <> COALESCE((SELECT sp.authorized_shares_after FROM stock_class_split sp
                                             WHERE sp.company_id = c.company_id AND sp.share_class_id = c.id
                                             ORDER BY sp.date DESC, sp.recorded_at DESC LIMIT 1), c.authorized_shares)`,
};

/** Only in the companies whose securities have certificates ($1). */
const CERTIFICATE_CHECKS: Record<string, string> = {
  certificateMissing: `
    SELECT count(*) FROM issuance i
     WHERE i.company_id = ANY($1::uuid[]) AND i.status = 'OUTSTANDING'
       AND NOT EXISTS (SELECT 1 FROM certificate c WHERE c.company_id = i.company_id
                          AND c.issuance_id = i.id AND c.status = 'active')
       AND NOT EXISTS (SELECT 1 FROM certificate_request r WHERE r.company_id = i.company_id
                          AND r.issuance_id = i.id)`,
  certificateActiveForSpent: `
    SELECT count(*) FROM issuance i
      JOIN certificate c ON c.company_id = i.company_id AND c.issuance_id = i.id AND c.status = 'active'
     WHERE i.company_id = ANY($1::uuid[]) AND i.status <> 'OUTSTANDING'`,
};

/** Rows breaking each invariant (all zero for a consistent ledger). */
export async function ledgerMismatches(
  client: Pick<Client, 'query'>,
  certifiedCompanyIds: string[],
): Promise<Record<string, number>> {
  const found: Record<string, number> = {};
  for (const [name, text] of Object.entries(CHECKS)) {
    const { rows } = await client.query<{ count: string }>(text);
    found[name] = Number(rows[0]?.count ?? 0);
  }
  for (const [name, text] of Object.entries(CERTIFICATE_CHECKS)) {
    const { rows } = await client.query<{ count: string }>(text, [certifiedCompanyIds]);
    found[name] = Number(rows[0]?.count ?? 0);
  }
  return found;
}
