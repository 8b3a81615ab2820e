import { randomUUID } from 'node:crypto';
import type { ActionContext } from '../core/http/action-context';
import { totalAmount } from '../core/money/money';
import type { SecurityStatus } from './issuance.entity';
import type { NewSecurity, SecurityRow, TransactionPlan } from './persistence/ledger.repository';
import type { TransactionKind } from './stock-transaction.entity';

/** What spending the security means for each kind, before the plan is completed. */
export interface Spending {
  kind: TransactionKind;
  date: string;
  quantity: bigint;
  pricePerShare: string | null;
  considerationText: string | null;
  reason: string | null;
  /** Shares going to others (transfer) or to the same holder anew (reissuance). */
  resulting: Array<{ shareholderId: string; shares: bigint }>;
  /** Whether the unspent rest of the security stays with the holder as a balance security. */
  leavesBalance: boolean;
}

const STATUS_OF: Record<TransactionKind, SecurityStatus> = {
  TRANSFER: 'TRANSFERRED',
  CANCELLATION: 'CANCELLED',
  REPURCHASE: 'REPURCHASED',
  REISSUANCE: 'REISSUED',
};

/**
 * Everything a terminal transaction writes, from the security it spends (already checked) and what
 * spending it means: a reissuance gives the holder every share anew; a transfer's transferees get
 * the transfer price (else the security's); what is left stays with the holder at the security's
 * price; cancelled and repurchased shares stop being outstanding.
 */
export function planTransaction(
  security: SecurityRow,
  spending: Spending,
  quantity: bigint,
  context: ActionContext,
): TransactionPlan {
  const held = BigInt(security.number_of_shares);
  const rest = held - quantity;
  const newSecurity = (shareholderId: string, shares: bigint, price: string): NewSecurity => ({
    id: randomUUID(),
    shareholderId,
    shares,
    price,
    totalAmount: totalAmount(shares.toString(), price),
  });
  const resulting =
    spending.kind === 'REISSUANCE'
      ? [newSecurity(security.shareholder_id, held, security.price)]
      : spending.resulting.map((r) =>
          newSecurity(r.shareholderId, r.shares, spending.pricePerShare ?? security.price),
        );
  const retires = spending.kind === 'CANCELLATION' || spending.kind === 'REPURCHASE';
  const priced = spending.pricePerShare !== null;
  return {
    id: randomUUID(),
    kind: spending.kind,
    status: STATUS_OF[spending.kind],
    date: spending.date,
    security,
    quantity,
    pricePerShare: spending.pricePerShare,
    totalAmount: priced ? totalAmount(quantity.toString(), spending.pricePerShare as string) : null,
    currency: priced ? security.currency : null,
    considerationText: spending.considerationText,
    reason: spending.reason,
    balance:
      spending.leavesBalance && rest > 0n
        ? newSecurity(security.shareholder_id, rest, security.price)
        : null,
    resulting,
    retired: retires ? quantity : 0n,
    createdBySub: context.principal.sub,
    createdBy: context.principal.actorName,
    requestId: context.meta.requestId,
  };
}
