import type { OcfSchemas } from '../../ocf';
import type { OcfFinding } from './ocf-findings';
import type { OcfItem, PackageFile } from './ocf-package-reader';

const str = (value: unknown): string => (typeof value === 'string' ? value : '');

/** An item of the package, where it was found. */
export interface Located {
  item: OcfItem;
  file: string;
  pointer: string;
  /** Its position in the package (file order, then item order): ties on a date keep it. */
  position: number;
}

/** The object types an import maps into this service's own records. */
export const MODELLED = new Set([
  'STAKEHOLDER',
  'STOCK_CLASS',
  'STOCK_LEGEND_TEMPLATE',
  'STOCK_PLAN',
  'VESTING_TERMS',
  'TX_STOCK_ISSUANCE',
  'TX_STOCK_TRANSFER',
  'TX_STOCK_CANCELLATION',
  'TX_STOCK_REPURCHASE',
  'TX_STOCK_CONVERSION',
  'TX_STOCK_REISSUANCE',
  'TX_STOCK_RETRACTION',
  'TX_STOCK_CLASS_SPLIT',
  'TX_STOCK_CLASS_CONVERSION_RATIO_ADJUSTMENT',
  'TX_STOCK_CLASS_AUTHORIZED_SHARES_ADJUSTMENT',
  'TX_ISSUER_AUTHORIZED_SHARES_ADJUSTMENT',
  'TX_STOCK_PLAN_POOL_ADJUSTMENT',
  'TX_EQUITY_COMPENSATION_ISSUANCE',
  'TX_EQUITY_COMPENSATION_EXERCISE',
  'TX_EQUITY_COMPENSATION_RELEASE',
  'TX_EQUITY_COMPENSATION_CANCELLATION',
  'TX_VESTING_START',
  'TX_VESTING_EVENT',
  'TX_VESTING_ACCELERATION',
]);

/**
 * Object types kept as they came and exported again unchanged: they change no position
 * (acceptances), or this service only keeps them (valuations; a return to pool, whose effect the
 * plan's cancellation behaviour already gives).
 */
export const RETAINED = new Set([
  'VALUATION',
  'TX_STOCK_ACCEPTANCE',
  'TX_EQUITY_COMPENSATION_ACCEPTANCE',
  'TX_STOCK_PLAN_RETURN_TO_POOL',
]);

/** What normalizing the package's items found: the items to import, and what was off. */
export interface Normalized {
  items: Located[];
  unsupported: OcfFinding[];
  warnings: OcfFinding[];
  errors: OcfFinding[];
}

const COMPENSATION_OF_GRANT_TYPE: Record<string, string> = { ISO: 'OPTION_ISO', NSO: 'OPTION_NSO' };

/**
 * Brings items written for other OCF versions to 1.2.0, warning about each change: the
 * TX_PLAN_SECURITY_* aliases, `compensation_type: "OPTION"` (or `plan_security_type`) with
 * `option_grant_type`. Answers the warnings.
 */
function upgrade(item: OcfItem, at: Omit<OcfFinding, 'message'>): OcfFinding[] {
  const warnings: OcfFinding[] = [];
  const type = str(item.object_type);
  if (type.startsWith('TX_PLAN_SECURITY_')) {
    item.object_type = type.replace('TX_PLAN_SECURITY_', 'TX_EQUITY_COMPENSATION_');
    warnings.push({
      ...at,
      pointer: `${at.pointer}/object_type`,
      message: `${type} read as ${String(item.object_type)}`,
    });
  }
  if (item.object_type !== 'TX_EQUITY_COMPENSATION_ISSUANCE') return warnings;
  const legacy = item.plan_security_type ?? item.compensation_type;
  const grantType = item.option_grant_type;
  if (
    legacy === 'OPTION' &&
    typeof grantType === 'string' &&
    COMPENSATION_OF_GRANT_TYPE[grantType]
  ) {
    item.compensation_type = COMPENSATION_OF_GRANT_TYPE[grantType];
    warnings.push({
      ...at,
      pointer: `${at.pointer}/compensation_type`,
      message: `OPTION with option_grant_type ${grantType} read as ${String(item.compensation_type)}`,
    });
  } else if (legacy === 'OPTION') {
    item.compensation_type = 'OPTION_NSO';
    warnings.push({
      ...at,
      pointer: `${at.pointer}/compensation_type`,
      message: 'OPTION without an ISO grant type read as OPTION_NSO',
    });
  } else if (item.plan_security_type !== undefined && item.compensation_type === undefined) {
    item.compensation_type = item.plan_security_type;
    warnings.push({
      ...at,
      pointer: `${at.pointer}/plan_security_type`,
      message: 'read as compensation_type',
    });
  }
  for (const old of ['plan_security_type', 'option_grant_type']) if (old in item) delete item[old];
  return warnings;
}

/**
 * Checks every item against the official 1.2.0 schema of its object type. A member the schema
 * does not know (added by another OCF version) is dropped with a warning; any other finding is an
 * error. Object types this service does not model are listed apart.
 */
export function normalize(files: PackageFile[], schemas: OcfSchemas): Normalized {
  const result: Normalized = { items: [], unsupported: [], warnings: [], errors: [] };
  let position = 0;
  for (const file of files)
    file.items.forEach((item, index) => {
      const at = { file: file.path, pointer: `/items/${index}`, id: str(item.id) };
      result.warnings.push(...upgrade(item, at));
      const type = str(item.object_type);
      if (!MODELLED.has(type) && !RETAINED.has(type)) {
        result.unsupported.push({
          ...at,
          message: `${type || 'an object without object_type'} is not imported by this service`,
        });
        return;
      }
      const findings = check(item, schemas, at, result.warnings);
      if (findings.length > 0) result.errors.push(...findings);
      else result.items.push({ item, file: file.path, pointer: at.pointer, position: position++ });
    });
  return result;
}

function check(
  item: OcfItem,
  schemas: OcfSchemas,
  at: Omit<OcfFinding, 'message'>,
  warnings: OcfFinding[],
): OcfFinding[] {
  for (let round = 0; round < 5; round += 1) {
    const findings = schemas.validateObject(item);
    const extra = findings.filter(
      (f) => / \((\w+)\)$/.test(f.message) && f.message.includes('additional'),
    );
    if (extra.length === 0 || extra.length < findings.length)
      return findings
        .filter((f) => !extra.includes(f))
        .map((f) => ({
          ...at,
          pointer: `${at.pointer}${f.pointer === '/' ? '' : f.pointer}`,
          message: f.message,
        }));
    for (const finding of extra) {
      const name = / \((\w+)\)$/.exec(finding.message)![1];
      const parent = finding.pointer === '/' ? item : pointTo(item, finding.pointer);
      if (parent && name in parent) delete parent[name];
      warnings.push({
        ...at,
        pointer: `${at.pointer}${finding.pointer === '/' ? '' : finding.pointer}/${name}`,
        message: 'is not an OCF 1.2.0 member: ignored',
      });
    }
  }
  return schemas.validateObject(item).map((f) => ({ ...at, message: f.message }));
}

function pointTo(root: OcfItem, pointer: string): OcfItem | undefined {
  let node: unknown = root;
  for (const part of pointer.split('/').slice(1)) node = (node as Record<string, unknown>)?.[part];
  return node && typeof node === 'object' ? (node as OcfItem) : undefined;
}
