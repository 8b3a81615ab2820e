/**
 * The one catalogue of domain events: name → payload. Every state change writes one of these to
 * the outbox in the same transaction as the change.
 */
export interface ShareholderSnapshot {
  id: string;
  name: string;
  email: string;
  type: string;
  user_id: string | null;
  version: number;
}

export interface ShareClassSnapshot {
  id: string;
  name: string;
  type: string;
  authorized_shares: number;
  par_value: string;
  votes_per_share: number;
  certificate_prefix: string;
  seniority: number;
  legend_text: string | null;
  converts_to_share_class_id: string | null;
  conversion_numerator: number;
  conversion_denominator: number;
}

export interface OcfImportSummary {
  md5: string;
  dry_run: boolean;
  /** The company imported into (or, for a refused new company, none). */
  company_id: string | null;
  imported: Record<string, number>;
  warnings: number;
}

export interface CompanySnapshot {
  legal_name: string;
  country: string;
  formation_date: string;
  default_currency: string;
}

export interface IssuanceSnapshot {
  id: string;
  shareholder_id: string;
  share_class_id: string;
  number_of_shares: number;
  price: string;
  total_amount: string;
  currency: string;
  date: string;
}

/** A ledger transaction as its event records it (see the issuances module's LedgerService). */
export interface LedgerTransactionSnapshot {
  id: string;
  kind: string;
  date: string;
  recorded_at: string;
  security_id: string;
  shareholder_id: string;
  share_class_id: string;
  quantity: number;
  price_per_share: string | null;
  total_amount: string | null;
  currency: string | null;
  consideration_text: string | null;
  reason: string | null;
  balance_security_id: string | null;
  resulting_security_ids: string[];
  /** A conversion's ratio and the fraction of a share paid out in cash. */
  conversion: {
    numerator: number;
    denominator: number;
    fraction: {
      numerator: number;
      denominator: number;
      price_per_share: string;
      cash_amount: string;
    } | null;
  } | null;
  reversed_transaction_id: string | null;
  reversed_by_transaction_id: string | null;
  created_by: string;
  /** What the spent security became: TRANSFERRED, CANCELLED, … (REVERSED for a reversal's). */
  spent_status: string;
  /**
   * A REVERSAL's effect: the security outstanding again (a reversed terminal transaction's), and
   * the securities the reversed line had created, withdrawn.
   */
  reversal?: {
    reversed_transaction_id: string;
    restored_security_id: string | null;
    withdrawn_security_ids: string[];
  };
}

/** A holder's outstanding shares of one class. */
export interface LedgerPositionSnapshot {
  shareholder_id: string;
  share_class_id: string;
  shares: number;
}

export interface Change<T> {
  before: T | null;
  after: T;
}

export interface CertificateSnapshot {
  id: string;
  issuance_id: string;
  certificate_number: string;
  version: number;
  status: string;
  sha256: string;
  reason: string | null;
}

export interface LoginAttempt {
  username: string;
  client_id: string;
  outcome: 'success' | 'failure';
  reason?: string;
}

export interface AccessDenial {
  method: string;
  path: string;
  required_roles: string[];
  roles: string[];
}

/** A company membership as the audit log records it. */
export interface MemberSnapshot {
  id: string;
  role: string;
  sub: string | null;
  client_id: string | null;
  email: string | null;
  expires_at: string | null;
}

export interface EventMap {
  'shareholder.created': Change<ShareholderSnapshot>;
  'shareholder.updated': Change<ShareholderSnapshot> & { changed_fields: string[] };
  'share_class.created': Change<ShareClassSnapshot>;
  'share_class.updated': Change<ShareClassSnapshot> & { changed_fields: string[] };
  'share_class.authorized_shares_adjusted': {
    before: null;
    after: {
      id: string;
      share_class_id: string;
      date: string;
      authorized_shares: number;
      previous_authorized_shares: number;
      board_approval_date: string | null;
      stockholder_approval_date: string | null;
    };
  };
  'company.authorized_shares_adjusted': {
    before: null;
    after: {
      id: string;
      date: string;
      authorized_shares: number;
      previous_authorized_shares: number | null;
      board_approval_date: string | null;
      stockholder_approval_date: string | null;
    };
  };
  'share_class.conversion_ratio_adjusted': {
    before: null;
    after: {
      id: string;
      share_class_id: string;
      date: string;
      numerator: number;
      denominator: number;
    };
  };
  'company.created': Change<CompanySnapshot>;
  'company.updated': Change<CompanySnapshot>;
  'member.added': Change<MemberSnapshot>;
  'member.updated': Change<MemberSnapshot> & { changed_fields: string[] };
  'member.removed': { before: MemberSnapshot; after: null };
  'issuance.created': Change<IssuanceSnapshot>;
  /** The positions of the holders concerned, in the security's class, before and after. */
  'stock.transaction_recorded': {
    transaction: LedgerTransactionSnapshot;
    before: { positions: LedgerPositionSnapshot[] };
    after: { positions: LedgerPositionSnapshot[] };
  };
  /** A class split: its totals before and after; each reissuance has its own event. */
  'stock.class_split_recorded': {
    before: { authorized_shares: number; outstanding: number };
    after: { authorized_shares: number; outstanding: number };
    split: {
      id: string;
      share_class_id: string;
      date: string;
      numerator: number;
      denominator: number;
      securities: number;
    };
  };
  /** Equity plans: each change with the plan, terms, grant or grant transaction as it is after. */
  'stock_plan.created': Change<Record<string, unknown>>;
  'stock_plan.updated': Change<Record<string, unknown>> & { changed_fields: string[] };
  'stock_plan.pool_adjusted': Change<Record<string, unknown>>;
  'vesting_terms.created': Change<Record<string, unknown>>;
  'grant.created': Change<Record<string, unknown>>;
  'grant.transaction_recorded': Change<Record<string, unknown>> & {
    transaction: Record<string, unknown>;
  };
  /** A package imported (or checked, when dry_run): who, which package, what it held. */
  'ocf.package_imported': { package: OcfImportSummary };
  /** A package refused: nothing of it was written but this entry. */
  'ocf.package_refused': { package: OcfImportSummary & { code: string; errors: number } };
  'certificate.generated': Change<CertificateSnapshot>;
  'certificate.cancelled': Change<CertificateSnapshot>;
  'certificate.reissued': Change<CertificateSnapshot>;
  'certificate.voided': Change<CertificateSnapshot>;
  'auth.login_succeeded': LoginAttempt;
  'auth.login_failed': LoginAttempt;
  'access.denied': AccessDenial;
}

export type EventName = keyof EventMap;

/**
 * Every event name, spelled once more so the list exists at run time: `satisfies` makes adding an
 * event to EventMap without adding it here a compile error (and a name here that is not in the map
 * too), so every event reaches the listeners that subscribe to all of them, such as the audit log.
 */
const EVENT_NAME_SET = {
  'shareholder.created': true,
  'shareholder.updated': true,
  'share_class.created': true,
  'share_class.updated': true,
  'share_class.conversion_ratio_adjusted': true,
  'share_class.authorized_shares_adjusted': true,
  'company.authorized_shares_adjusted': true,
  'company.created': true,
  'company.updated': true,
  'member.added': true,
  'member.updated': true,
  'member.removed': true,
  'issuance.created': true,
  'stock.transaction_recorded': true,
  'stock.class_split_recorded': true,
  'stock_plan.created': true,
  'stock_plan.updated': true,
  'stock_plan.pool_adjusted': true,
  'vesting_terms.created': true,
  'grant.created': true,
  'grant.transaction_recorded': true,
  'ocf.package_imported': true,
  'ocf.package_refused': true,
  'certificate.generated': true,
  'certificate.cancelled': true,
  'certificate.reissued': true,
  'certificate.voided': true,
  'auth.login_succeeded': true,
  'auth.login_failed': true,
  'access.denied': true,
} as const satisfies Record<EventName, true>;

export const EVENT_NAMES = Object.keys(EVENT_NAME_SET) as EventName[];
