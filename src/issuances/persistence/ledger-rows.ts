import type { SecurityStatus } from '../issuance.entity';
import type { TransactionKind } from '../stock-transaction.entity';

/** A security as a transaction reads it, under its row lock. */
export interface SecurityRow {
  id: string;
  shareholder_id: string;
  share_class_id: string;
  number_of_shares: string;
  price: string;
  currency: string;
  date: string;
  status: SecurityStatus;
  spent_by_transaction_id: string | null;
}

/** A new (balance or resulting) security a transaction creates. */
export interface NewSecurity {
  id: string;
  shareholderId: string;
  shareClassId: string;
  shares: bigint;
  price: string;
  totalAmount: string;
}

/** Everything one terminal transaction writes. */
export interface TransactionPlan {
  id: string;
  kind: TransactionKind;
  status: SecurityStatus;
  date: string;
  security: SecurityRow;
  quantity: bigint;
  pricePerShare: string | null;
  totalAmount: string | null;
  currency: string | null;
  considerationText: string | null;
  reason: string | null;
  balance: NewSecurity | null;
  resulting: NewSecurity[];
  /** Shares that stop being outstanding (cancelled, repurchased, converted): lowered on the class total. */
  retired: bigint;
  /** New shares of another class (a conversion's), raised on that class's total beforehand. */
  raised: { shareClassId: string; shares: bigint } | null;
  conversion: {
    numerator: bigint;
    denominator: bigint;
    fraction: {
      numerator: bigint;
      denominator: bigint;
      pricePerShare: string;
      cashAmount: string;
    } | null;
  } | null;
  createdBySub: string;
  createdBy: string;
  requestId: string | null;
}

/** A ledger line as GET /api/transactions shows it (issuances included). */
export interface LedgerRow {
  id: string;
  kind: string;
  date: string;
  recorded_at: Date;
  /** recorded_at to the microsecond (UTC), for the cursor. */
  recorded_key: string;
  security_id: string;
  shareholder_id: string;
  share_class_id: string;
  quantity: string;
  price_per_share: string | null;
  total_amount: string | null;
  currency: string | null;
  consideration_text: string | null;
  reason: string | null;
  balance_security_id: string | null;
  resulting_security_ids: string[];
  conversion_numerator: string | null;
  conversion_denominator: string | null;
  fraction_numerator: string | null;
  fraction_denominator: string | null;
  fraction_price_per_share: string | null;
  fraction_cash_amount: string | null;
  reversed_transaction_id: string | null;
  reversed_by_transaction_id: string | null;
  created_by: string;
  /** The OCF id the line came in with (an import). */
  ocf_id: string | null;
}

export interface LedgerFilter {
  kind?: string;
  shareholderId?: string;
  shareClassId?: string;
  securityId?: string;
  from?: string;
  to?: string;
  recordedFrom?: string;
  recordedTo?: string;
}

export interface LedgerCursor {
  date: string;
  recordedAt: string;
  id: string;
}

export interface PositionRow {
  shareholder_id: string;
  share_class_id: string;
  shares: string;
}
