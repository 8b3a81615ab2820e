import type { ExportClassEventRow, ExportClassRow, ExportCompanyRow } from '../../issuances';
import type { ExportHolderRow } from '../../shareholders';

/** One OCF object, its keys in the order they are written (exports are byte-for-byte stable). */
export type OcfObject = Record<string, unknown>;

/** Resolves our ids to the OCF ids an export names them by. */
export interface OcfRefs {
  holder(id: string): string;
  shareClass(id: string): string;
}

/** Drops absent (undefined or null) fields, keeping the order of the rest. */
export function compact(object: OcfObject): OcfObject {
  return Object.fromEntries(
    Object.entries(object).filter(([, v]) => v !== undefined && v !== null),
  );
}

const money = (amount: string, currency: string) => ({ amount, currency });

export function issuerObject(company: ExportCompanyRow): OcfObject {
  return compact({
    object_type: 'ISSUER',
    id: company.ocf_id ?? company.id,
    legal_name: company.legal_name,
    formation_date: company.formation_date,
    country_of_formation: company.country,
    initial_shares_authorized: company.initial_authorized_shares,
  });
}

export function stakeholderObject(holder: ExportHolderRow): OcfObject {
  return {
    object_type: 'STAKEHOLDER',
    id: holder.ocf_id ?? holder.id,
    name: { legal_name: holder.name },
    stakeholder_type: holder.type,
    contact_info: { emails: [{ email_type: 'OTHER', email_address: holder.email }] },
  };
}

/** The legend template a class with a legend text is exported with (one per class). */
export const legendIdOf = (shareClass: ExportClassRow): string =>
  `${shareClass.ocf_id ?? shareClass.id}-legend`;

export function legendObject(shareClass: ExportClassRow): OcfObject | null {
  if (!shareClass.legend_text) return null;
  return {
    object_type: 'STOCK_LEGEND_TEMPLATE',
    id: legendIdOf(shareClass),
    name: `${shareClass.name} legend`,
    text: shareClass.legend_text,
  };
}

export function stockClassObject(
  shareClass: ExportClassRow,
  currency: string,
  refs: OcfRefs,
): OcfObject {
  const converts = shareClass.converts_to_share_class_id;
  return {
    object_type: 'STOCK_CLASS',
    id: shareClass.ocf_id ?? shareClass.id,
    name: shareClass.name,
    class_type: shareClass.type,
    default_id_prefix: `${shareClass.certificate_prefix}-`,
    initial_shares_authorized: shareClass.initial_authorized_shares,
    votes_per_share: String(shareClass.votes_per_share),
    par_value: money(shareClass.par_value, currency),
    seniority: String(shareClass.seniority),
    conversion_rights: converts
      ? [
          {
            type: 'STOCK_CLASS_CONVERSION_RIGHT',
            conversion_mechanism: ratioMechanism(
              shareClass.conversion_numerator,
              shareClass.conversion_denominator,
              currency,
            ),
            converts_to_stock_class_id: refs.shareClass(converts),
          },
        ]
      : [],
  };
}

/** OCF's ratio conversion: we round fractions down (FLOOR) and pay them out in cash. */
function ratioMechanism(numerator: string, denominator: string, currency: string): OcfObject {
  return {
    type: 'RATIO_CONVERSION',
    conversion_price: money('0', currency),
    ratio: { numerator, denominator },
    rounding_type: 'FLOOR',
  };
}

export function classEventObject(
  event: ExportClassEventRow,
  issuerId: string,
  currency: string,
  refs: OcfRefs,
): OcfObject {
  const base = { id: event.ocf_id ?? event.id, date: event.date };
  const classId = event.share_class_id ? refs.shareClass(event.share_class_id) : undefined;
  switch (event.event) {
    case 'SPLIT':
      return {
        object_type: 'TX_STOCK_CLASS_SPLIT',
        ...base,
        stock_class_id: classId,
        split_ratio: { numerator: event.numerator, denominator: event.denominator },
      };
    case 'RATIO':
      return {
        object_type: 'TX_STOCK_CLASS_CONVERSION_RATIO_ADJUSTMENT',
        ...base,
        stock_class_id: classId,
        new_ratio_conversion_mechanism: ratioMechanism(
          event.numerator ?? '1',
          event.denominator ?? '1',
          currency,
        ),
      };
    case 'CLASS_AUTHORIZED':
      return compact({
        object_type: 'TX_STOCK_CLASS_AUTHORIZED_SHARES_ADJUSTMENT',
        ...base,
        stock_class_id: classId,
        new_shares_authorized: event.authorized_shares,
        board_approval_date: event.board_approval_date,
        stockholder_approval_date: event.stockholder_approval_date,
      });
    case 'COMPANY_AUTHORIZED':
      return compact({
        object_type: 'TX_ISSUER_AUTHORIZED_SHARES_ADJUSTMENT',
        ...base,
        issuer_id: issuerId,
        new_shares_authorized: event.authorized_shares,
        board_approval_date: event.board_approval_date,
        stockholder_approval_date: event.stockholder_approval_date,
      });
  }
}
