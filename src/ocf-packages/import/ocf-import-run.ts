import type { ArgumentMetadata } from '@nestjs/common';
import { DomainError } from '../../core/errors/domain-error';
import { createValidationPipe } from '../../core/errors/validation';
import type { ActionContext } from '../../core/http/action-context';
import type {
  EquityExportService,
  GrantsService,
  GrantTransactionsService,
  StockPlansService,
  VestingTermsService,
} from '../../equity-plans';
import type {
  AuthorizedSharesService,
  CompanyAuthorizedSharesService,
  IssuancesService,
  LedgerExportService,
  LedgerOcfTable,
  LedgerReversals,
  LedgerService,
  LedgerSplits,
  OcfIdRow,
  ShareClassesService,
} from '../../issuances';
import type { ShareholdersService } from '../../shareholders';
import type { EquityOcfTable } from '../../equity-plans';
import { OcfFinding, OcfPackageInvalidError } from './ocf-findings';
import { at, OcfGraph, str } from './ocf-graph';
import type { LedgerCheck } from './ocf-ledger-check';
import type { Located } from './ocf-normalize';

/** The services an import writes through: every row is written by the module that owns it. */
export interface ImportServices {
  holders: ShareholdersService;
  classes: ShareClassesService;
  issuances: IssuancesService;
  ledger: LedgerService;
  splits: LedgerSplits;
  reversals: LedgerReversals;
  authorized: AuthorizedSharesService;
  companyAuthorized: CompanyAuthorizedSharesService;
  plans: StockPlansService;
  terms: VestingTermsService;
  grants: GrantsService;
  grantTransactions: GrantTransactionsService;
  ledgerIds: LedgerExportService;
  equityIds: EquityExportService;
}

const pipe = createValidationPipe();
const BODY: Omit<ArgumentMetadata, 'metatype'> = { type: 'body' };

/**
 * One import as it is applied: the services, the package's ids mapped to the ones created here,
 * the OCF ids to record, counts and warnings. Every write is one of the service's own, with the
 * request's DTO checked as the route checks it; a refusal names the package object it came from.
 */
export class ImportRun {
  readonly holders = new Map<string, string>();
  readonly classes = new Map<string, string>();
  readonly plans = new Map<string, string>();
  readonly terms = new Map<string, string>();
  /** OCF security id → our issuance id. */
  readonly securities = new Map<string, string>();
  /** OCF security id → our grant id. */
  readonly grants = new Map<string, string>();
  readonly counts: Record<string, number> = {};
  /** Each grant's TX_VESTING_START by its security id, indexed once (not searched per grant). */
  readonly vestingStarts: Map<string, Located>;
  readonly warnings: OcfFinding[] = [];
  private readonly ledgerIds = new Map<LedgerOcfTable, OcfIdRow[]>();
  private readonly equityIds = new Map<EquityOcfTable, OcfIdRow[]>();
  private readonly holderIds: OcfIdRow[] = [];

  constructor(
    readonly graph: OcfGraph,
    readonly check: LedgerCheck,
    readonly s: ImportServices,
    readonly context: ActionContext,
  ) {
    this.vestingStarts = new Map(
      graph.transactions
        .filter((t) => t.item.object_type === 'TX_VESTING_START')
        .map((t) => [str(t.item.security_id), t]),
    );
  }

  count(located: Located): void {
    const type = str(located.item.object_type);
    this.counts[type] = (this.counts[type] ?? 0) + 1;
  }

  /** The DTO `plain` as the route would accept it; a refusal is the package object's finding. */
  async dto<T>(type: new () => T, plain: object, located: Located): Promise<T> {
    const defined = Object.fromEntries(Object.entries(plain).filter(([, v]) => v !== undefined));
    try {
      return (await pipe.transform(defined, { ...BODY, metatype: type })) as T;
    } catch (error) {
      throw this.refusal(error, located);
    }
  }

  /** Runs one write for `located`; a domain refusal becomes the finding that stops the import. */
  async write<T>(located: Located, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw this.refusal(error, located);
    }
  }

  refusal(error: unknown, located: Located): unknown {
    if (error instanceof OcfPackageInvalidError) return error;
    if (!(error instanceof DomainError)) return error;
    const fields = (error.extras.errors ?? []).map((e) => `${e.field}: ${e.messages.join(', ')}`);
    const detail = fields.length > 0 ? `${error.detail} (${fields.join('; ')})` : error.detail;
    return new OcfPackageInvalidError([at(located, `${error.code}: ${detail}`)]);
  }

  fail(located: Located, message: string, member = ''): never {
    throw new OcfPackageInvalidError([at(located, message, member)]);
  }

  warn(located: Located, message: string, member = ''): void {
    this.warnings.push(at(located, message, member));
  }

  need(
    map: Map<string, string>,
    id: string,
    located: Located,
    member: string,
    what: string,
  ): string {
    const found = map.get(id);
    if (!found) this.fail(located, `names ${what} ${id}, which was not imported`, `/${member}`);
    return found;
  }

  /** Our id of the holder, class or security the package object names in `member`. */
  holder(located: Located, member = 'stakeholder_id'): string {
    return this.need(this.holders, str(located.item[member]), located, member, 'the stakeholder');
  }

  shareClass(located: Located, member = 'stock_class_id'): string {
    return this.need(this.classes, str(located.item[member]), located, member, 'the stock class');
  }

  security(located: Located, member = 'security_id'): string {
    return this.need(this.securities, str(located.item[member]), located, member, 'the security');
  }

  remember(table: LedgerOcfTable | EquityOcfTable | 'shareholder', row: OcfIdRow): void {
    if (table === 'shareholder') this.holderIds.push(row);
    else if (isEquityTable(table)) push(this.equityIds, table, row);
    else push(this.ledgerIds, table, row);
  }

  /** Gives every row created here the OCF id it came with. */
  async recordOcfIds(): Promise<void> {
    await this.s.holders.recordOcfIds(this.holderIds);
    for (const [table, rows] of this.ledgerIds) await this.s.ledgerIds.recordOcfIds(table, rows);
    for (const [table, rows] of this.equityIds) await this.s.equityIds.recordOcfIds(table, rows);
  }
}

const EQUITY_TABLES = new Set<string>([
  'stock_plan',
  'stock_plan_pool_adjustment',
  'vesting_terms',
  'equity_grant',
  'equity_grant_transaction',
]);
const isEquityTable = (table: string): table is EquityOcfTable => EQUITY_TABLES.has(table);

function push<K>(map: Map<K, OcfIdRow[]>, key: K, row: OcfIdRow): void {
  const list = map.get(key) ?? [];
  list.push(row);
  map.set(key, list);
}
