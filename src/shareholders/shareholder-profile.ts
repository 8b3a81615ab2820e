import type { ShareholderSnapshot } from '../events';
import type { ShareholderResponseDto } from './dto/shareholder.dto';
import type { Shareholder } from './shareholder.entity';

/** The sensitive fields of a profile, in plaintext (only ever in memory). */
export interface SensitiveFields {
  phone: string | null;
  address: string | null;
  tax_id: string | null;
}

export const SENSITIVE_FIELDS = ['phone', 'address', 'tax_id'] as const;

export function maskTaxId(taxId: string | null): string | null {
  if (taxId === null) return null;
  const visible = taxId.length > 6 ? 4 : Math.max(0, taxId.length - 4);
  return '*'.repeat(taxId.length - visible) + taxId.slice(taxId.length - visible);
}

/**
 * What history and events record of a profile. Sensitive values never leave encrypted storage in
 * plaintext: the tax id is masked, phone and address only say whether they are set.
 */
export function snapshotOf(
  shareholder: Shareholder,
  sensitive: SensitiveFields,
): ShareholderSnapshot & Record<string, unknown> {
  return {
    id: shareholder.id,
    name: shareholder.name,
    email: shareholder.email,
    type: shareholder.type,
    user_id: shareholder.userId,
    version: shareholder.version,
    phone: sensitive.phone === null ? null : '[encrypted]',
    address: sensitive.address === null ? null : '[encrypted]',
    tax_id: maskTaxId(sensitive.tax_id),
  };
}

export interface ProfileValues extends SensitiveFields {
  name: string;
  email: string;
  type: string;
  user_id: string | null;
}

export function profileValues(shareholder: Shareholder, sensitive: SensitiveFields): ProfileValues {
  return {
    name: shareholder.name,
    email: shareholder.email,
    type: shareholder.type,
    user_id: shareholder.userId,
    ...sensitive,
  };
}

/** Names of the fields whose values differ, in a stable order. */
export function changedFields(before: ProfileValues, after: ProfileValues): string[] {
  return (Object.keys(after) as Array<keyof ProfileValues>)
    .filter((key) => before[key] !== after[key])
    .sort();
}

export function toShareholderResponse(
  shareholder: Shareholder,
  sensitive: SensitiveFields,
  totalShares: number,
  revealTaxId: boolean,
): ShareholderResponseDto {
  return {
    id: shareholder.id,
    name: shareholder.name,
    email: shareholder.email,
    type: shareholder.type,
    phone: sensitive.phone,
    address: sensitive.address,
    tax_id: revealTaxId ? sensitive.tax_id : maskTaxId(sensitive.tax_id),
    user_id: shareholder.userId,
    total_shares: totalShares,
    version: shareholder.version,
    created_at: shareholder.createdAt.toISOString(),
    updated_at: shareholder.updatedAt.toISOString(),
    ocf_id: shareholder.ocfId ?? null,
  };
}
