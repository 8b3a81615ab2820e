import { DomainError } from '../../core/errors/domain-error';
import type { IssuanceResponseDto } from '../../issuances';
import { str } from './ocf-graph';
import type { ImportRun } from './ocf-import-run';
import { wholeShares } from './ocf-ledger-check';

type Item = Record<string, unknown>;

export const amount = (money: unknown): unknown => (money as Item | undefined)?.amount;
export const shares = (value: unknown): number => Number(wholeShares(value) ?? -1);
/** A ratio that is not one: the DTO refuses it, naming the field. */
export const amountless = { numerator: 0, denominator: 0 };

/** An issuance of the package (original, or a result) as created here: its OCF ids recorded. */
export function issued(run: ImportRun, security: string, ours: IssuanceResponseDto): void {
  const located = run.graph.issuances.get(security);
  run.securities.set(security, ours.id);
  run.remember('issuance', {
    id: ours.id,
    ocfId: located ? str(located.item.id) : security,
    ocfSecurityId: security,
    customId: located ? customIdOf(located.item) : null,
  });
  if (located) run.count(located);
}

/** The security's OCF custom_id (the certificate number it had), when it has one. */
export function customIdOf(item: Record<string, unknown>): string | null {
  const custom = item.custom_id;
  return typeof custom === 'string' && custom.trim() !== '' ? custom.slice(0, 200) : null;
}

/** A refusal for want of a price for the fraction of a share a conversion or split leaves. */
export function needsFractionPrice(error: unknown): boolean {
  if (!(error instanceof DomainError)) return false;
  return (error.extras.errors ?? []).some((e) => e.field === 'fraction_price_per_share');
}
