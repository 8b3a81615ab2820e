import type { CompanySnapshot, IssuanceSnapshot, ShareClassSnapshot } from '../events';
import type { SetUpCompany } from './persistence/company.repository';
import type { CompanyResponseDto } from './dto/company.dto';
import type { IssuanceResponseDto } from './dto/issuance.dto';
import type { ShareClassResponseDto } from './dto/share-class.dto';
import type { Issuance } from './issuance.entity';
import { normalizeNumeric, shareCount } from '../core/money/money';
import type { ShareClass } from './share-class.entity';

export function companySnapshot(company: SetUpCompany): CompanySnapshot {
  return {
    legal_name: company.legalName,
    country: company.country,
    formation_date: company.formationDate,
    default_currency: company.defaultCurrency,
  };
}

export function toCompanyResponse(company: SetUpCompany): CompanyResponseDto {
  return {
    id: company.id,
    ...companySnapshot(company),
    authorized_shares:
      company.authorizedShares === null ? null : shareCount(company.authorizedShares),
    version: company.version,
    updated_at: company.updatedAt.toISOString(),
  };
}

export function shareClassSnapshot(shareClass: ShareClass): ShareClassSnapshot {
  return {
    id: shareClass.id,
    name: shareClass.name,
    type: shareClass.type,
    authorized_shares: shareCount(shareClass.authorizedShares),
    par_value: normalizeNumeric(shareClass.parValue),
    votes_per_share: shareClass.votesPerShare,
    certificate_prefix: shareClass.certificatePrefix,
    seniority: shareClass.seniority,
    legend_text: shareClass.legendText,
    converts_to_share_class_id: shareClass.convertsToShareClassId,
    conversion_numerator: Number(shareClass.conversionNumerator),
    conversion_denominator: Number(shareClass.conversionDenominator),
  };
}

export function toShareClassResponse(shareClass: ShareClass): ShareClassResponseDto {
  const authorized = shareCount(shareClass.authorizedShares);
  const issued = shareCount(shareClass.issuedShares);
  return {
    ...shareClassSnapshot(shareClass),
    issued_shares: issued,
    unissued_shares: authorized - issued,
    version: shareClass.version,
    created_at: shareClass.createdAt.toISOString(),
    ocf_id: shareClass.ocfId ?? null,
  };
}

export function issuanceSnapshot(issuance: Issuance): IssuanceSnapshot {
  return {
    id: issuance.id,
    shareholder_id: issuance.shareholderId,
    share_class_id: issuance.shareClassId,
    number_of_shares: shareCount(issuance.numberOfShares),
    price: normalizeNumeric(issuance.price),
    total_amount: normalizeNumeric(issuance.totalAmount),
    currency: issuance.currency,
    date: issuance.date,
  };
}

export function toIssuanceResponse(issuance: Issuance): IssuanceResponseDto {
  return {
    ...issuanceSnapshot(issuance),
    certificate_number: issuance.certificateNumber,
    created_at: issuance.createdAt.toISOString(),
    status: issuance.status,
    origin_transaction_id: issuance.originTransactionId,
    spent_by_transaction_id: issuance.spentByTransactionId,
    spent_on: issuance.spentOn,
    derived_security_ids: issuance.derivedSecurityIds,
    ocf_id: issuance.ocfSecurityId ?? null,
  };
}
