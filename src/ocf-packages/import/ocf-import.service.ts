import { Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { Database } from '../../core/db/database.service';
import { DomainError } from '../../core/errors/domain-error';
import type { ActionContext } from '../../core/http/action-context';
import { CompanyContext } from '../../core/tenancy/company-context';
import {
  EquityExportService,
  GrantsService,
  GrantTransactionsService,
  StockPlansService,
  VestingTermsService,
} from '../../equity-plans';
import { OcfImportSummary, OutboxService } from '../../events';
import {
  AuthorizedSharesService,
  CompanyAuthorizedSharesService,
  CompanyService,
  IssuancesService,
  LedgerExportService,
  LedgerReversals,
  LedgerService,
  LedgerSplits,
  PutCompanyDto,
  ShareClassesService,
} from '../../issuances';
import { OcfSchemas } from '../../ocf';
import { ShareholdersService } from '../../shareholders';
import { OcfRetainedObjects } from '../ocf-retained-objects.service';
import { applyPackage, type CheckedPackage } from './ocf-apply';
import {
  LedgerNotEmptyError,
  OcfFinding,
  OcfPackageInvalidError,
  OcfUnsupportedObjectsError,
} from './ocf-findings';
import { buildGraph } from './ocf-graph';
import { ImportRun, ImportServices } from './ocf-import-run';
import { checkLedger } from './ocf-ledger-check';
import { normalize } from './ocf-normalize';
import { readJsonPackage, readZipPackage, ReadPackage } from './ocf-package-reader';

export interface ImportOptions {
  dryRun: boolean;
  skipUnsupported: boolean;
  /** Into a new company made from the package's issuer, or into the current (empty) one. */
  newCompany: boolean;
}

export type ImportBody = { zip: Buffer } | { json: unknown; raw: string };

export interface ImportOutcome {
  company_id: string;
  dry_run: boolean;
  imported: Record<string, number>;
  warnings: OcfFinding[];
}

/**
 * Imports an OCF 1.2.0 package: read, brought to 1.2.0, checked item by item against the official
 * schemas and as a ledger in memory (every finding listed at once), then applied in one database
 * transaction through each module's own services, exactly as the routes write, so every rule of
 * the ledger holds and every object has its audit entry; any refusal rolls it all back. A dry run
 * does it all and rolls back. A refused package leaves one audit entry and nothing else.
 */
@Injectable()
export class OcfImportService {
  private readonly services: ImportServices;

  constructor(
    private readonly db: Database,
    private readonly schemas: OcfSchemas,
    private readonly company: CompanyService,
    private readonly outbox: OutboxService,
    private readonly retained: OcfRetainedObjects,
    ledgerIds: LedgerExportService,
    holders: ShareholdersService,
    classes: ShareClassesService,
    issuances: IssuancesService,
    ledger: LedgerService,
    splits: LedgerSplits,
    reversals: LedgerReversals,
    authorized: AuthorizedSharesService,
    companyAuthorized: CompanyAuthorizedSharesService,
    plans: StockPlansService,
    terms: VestingTermsService,
    grants: GrantsService,
    grantTransactions: GrantTransactionsService,
    equityIds: EquityExportService,
  ) {
    this.services = {
      holders,
      classes,
      issuances,
      ledger,
      splits,
      reversals,
      authorized,
      companyAuthorized,
      plans,
      terms,
      grants,
      grantTransactions,
      ledgerIds,
      equityIds,
    };
  }

  async import(
    body: ImportBody,
    options: ImportOptions,
    context: ActionContext,
  ): Promise<ImportOutcome> {
    const importing: ActionContext = { ...context, meta: { ...context.meta, via: 'ocf-import' } };
    const md5 = createHash('md5')
      .update('zip' in body ? body.zip : body.raw)
      .digest('hex');
    try {
      const read =
        'zip' in body ? await readZipPackage(body.zip) : readJsonPackage(body.json, body.raw);
      const checked = this.checked(read, options);
      const companyId = options.newCompany ? randomUUID() : CompanyContext.require();
      const run = await this.db.atomically(
        () => CompanyContext.run(companyId, () => this.apply(checked, options, importing)),
        !options.dryRun,
      );
      return {
        company_id: companyId,
        dry_run: options.dryRun,
        imported: run.counts,
        warnings: [...checked.warnings, ...run.warnings],
      };
    } catch (error) {
      if (error instanceof DomainError) await this.refused(md5, options, error, importing);
      throw error;
    }
  }

  /** Everything that can be checked before writing: all findings at once, or the package. */
  private checked(read: ReadPackage, options: ImportOptions): CheckedPackage {
    const normalized = normalize(read.files, this.schemas);
    const warnings = [...read.warnings, ...normalized.warnings];
    if (normalized.unsupported.length > 0 && !options.skipUnsupported)
      throw new OcfUnsupportedObjectsError(normalized.unsupported);
    warnings.push(
      ...normalized.unsupported.map((f) => ({ ...f, message: `${f.message}: skipped` })),
    );
    const errors = [...read.errors, ...normalized.errors];
    const issuer = (read.manifest.issuer ?? {}) as Record<string, unknown>;
    for (const e of this.schemas.validate('objects/Issuer', issuer))
      errors.push({
        file: 'Manifest.ocf.json',
        pointer: `/issuer${e.pointer === '/' ? '' : e.pointer}`,
        message: e.message,
      });
    const graph = buildGraph(normalized.items, issuer, errors);
    const check = checkLedger(graph);
    errors.push(...check.errors);
    if (errors.length > 0) throw new OcfPackageInvalidError(errors);
    return { read, graph, check, warnings: [...warnings, ...check.warnings] };
  }

  private async apply(
    checked: CheckedPackage,
    options: ImportOptions,
    context: ActionContext,
  ): Promise<ImportRun> {
    if (options.newCompany) await this.company.create(this.companyOf(checked), context);
    else if (!(await this.services.ledgerIds.lockIfEmpty())) throw new LedgerNotEmptyError();
    const run = new ImportRun(checked.graph, checked.check, this.services, context);
    const issuerId = checked.graph.issuer.id;
    if (options.newCompany && typeof issuerId === 'string')
      run.remember('company', { id: CompanyContext.require(), ocfId: issuerId });
    await applyPackage(run, this.retained);
    await this.outbox.publish(
      undefined,
      {
        type: 'ocf.package_imported',
        aggregateType: 'company',
        aggregateId: CompanyContext.require(),
        payload: {
          package: this.summary(
            checked.read,
            options,
            run.counts,
            run.warnings.length + checked.warnings.length,
          ),
        },
      },
      context,
    );
    return run;
  }

  /** The company a package creates: its issuer, in the currency its prices are given in. */
  private companyOf(checked: CheckedPackage): PutCompanyDto {
    const { issuer, issuances, classes } = checked.graph;
    const prices = [...issuances.values()].map(
      (i) => (i.item.share_price as { currency?: string })?.currency,
    );
    const pars = [...classes.values()].map(
      (c) => (c.item.par_value as { currency?: string } | undefined)?.currency,
    );
    const currency = [...prices, ...pars].find((c): c is string => typeof c === 'string') ?? 'USD';
    return Object.assign(new PutCompanyDto(), {
      legal_name: issuer.legal_name,
      country: issuer.country_of_formation,
      formation_date: issuer.formation_date,
      default_currency: currency,
    });
  }

  private summary(
    read: ReadPackage,
    options: ImportOptions,
    imported: Record<string, number>,
    warnings: number,
  ): OcfImportSummary {
    const companyId = CompanyContext.current() ?? null;
    return { md5: read.md5, dry_run: options.dryRun, company_id: companyId, imported, warnings };
  }

  /** The one trace a refused import leaves: its audit entry, in the caller's company. */
  private async refused(
    md5: string,
    options: ImportOptions,
    error: DomainError,
    context: ActionContext,
  ): Promise<void> {
    const errors = Array.isArray(error.extras.errors) ? error.extras.errors.length : 1;
    await this.outbox.publish(
      undefined,
      {
        type: 'ocf.package_refused',
        aggregateType: 'company',
        aggregateId: CompanyContext.require(),
        payload: {
          package: {
            md5,
            dry_run: options.dryRun,
            company_id: options.newCompany ? null : CompanyContext.require(),
            imported: {},
            warnings: 0,
            code: error.code,
            errors,
          },
        },
      },
      context,
    );
  }
}
