import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Database } from '../../core/db/database.service';
import { EquityExportService, type ExportVestingTermsRow } from '../../equity-plans';
import { CompanyNotConfiguredError, LedgerExportService } from '../../issuances';
import { ShareholdersService } from '../../shareholders';
import { OcfRetainedObjects } from '../ocf-retained-objects.service';
import {
  grantObject,
  grantTransactionObject,
  poolAdjustmentObject,
  stockPlanObject,
  vestingStartObject,
  vestingTermsObject,
} from './ocf-equity-objects';
import {
  classEventObject,
  issuerObject,
  legendObject,
  OcfObject,
  OcfRefs,
  stakeholderObject,
  stockClassObject,
} from './ocf-objects';
import { OCF_FILES, OcfFileKey, PackagePart } from './ocf-package';

const spec = (key: OcfFileKey) => OCF_FILES.find((file) => file.key === key)!;

/** What one export has read so far that later files refer to. */
interface ExportState {
  tx: EntityManager;
  asOf: string;
  issuerId: string;
  currency: string;
  refs: OcfRefs;
  terms: ExportVestingTermsRow[];
  /** Our id of every security an exercise or release became → its OCF security id. */
  securityRefs: Map<string, string>;
}

/**
 * The company's cap table as an OCF 1.2.0 package, read from one REPEATABLE READ snapshot (every
 * file agrees with every other as of the moment the export began) and streamed, so memory does
 * not grow with the ledger: the stock securities and transactions (nearly all of a big ledger)
 * come from PostgreSQL already as their OCF JSON, one item per line, copied to the package as
 * they arrive; the grants and theirs are read 2,000 at a time and written item by item. Objects
 * are named by the OCF ids they came in with, else by their own ids, so two exports of the same
 * ledger are identical but for `generated_at`.
 */
@Injectable()
export class OcfExportService {
  constructor(
    private readonly db: Database,
    private readonly ledger: LedgerExportService,
    private readonly holders: ShareholdersService,
    private readonly equity: EquityExportService,
    private readonly retained: OcfRetainedObjects,
  ) {}

  parts(asOf: string): AsyncGenerator<PackagePart> {
    return this.db.snapshot((tx) => this.read(tx, asOf));
  }

  private async *read(tx: EntityManager, asOf: string): AsyncGenerator<PackagePart> {
    const company = await this.ledger.company(tx);
    if (!company?.legal_name) throw new CompanyNotConfiguredError();
    const holders = await this.holders.forExport(tx);
    const classes = await this.ledger.classes(tx);
    const holderIds = new Map(holders.map((h) => [h.id, h.ocf_id ?? h.id]));
    const classIds = new Map(classes.map((c) => [c.id, c.ocf_id ?? c.id]));
    const refs: OcfRefs = {
      holder: (id) => holderIds.get(id) ?? id,
      shareClass: (id) => classIds.get(id) ?? id,
    };
    const issuer = issuerObject(company);
    const state: ExportState = {
      tx,
      asOf,
      issuerId: String(issuer.id),
      currency: company.default_currency,
      refs,
      terms: await this.equity.vestingTerms(tx),
      securityRefs: new Map(),
    };
    yield { kind: 'issuer', issuer };
    yield* this.file('stakeholders_files', holders.map(stakeholderObject));
    yield* this.file(
      'stock_classes_files',
      classes.map((c) => stockClassObject(c, state.currency, refs)),
    );
    yield* this.file('stock_legend_templates_files', classes.map(legendObject));
    const plans = await this.equity.plans(tx);
    yield* this.file(
      'stock_plans_files',
      plans.map((plan) => stockPlanObject(plan, refs)),
    );
    yield* this.file('vesting_terms_files', state.terms.map(vestingTermsObject));
    yield* this.file('valuations_files', await this.retained.list(tx, 'OCF_VALUATIONS_FILE'));
    yield { kind: 'file', spec: spec('transactions_files') };
    yield* this.transactions(state);
    yield { kind: 'end' };
  }

  private *file(key: OcfFileKey, items: Array<OcfObject | null>): Generator<PackagePart> {
    yield { kind: 'file', spec: spec(key) };
    for (const item of items) if (item) yield { kind: 'item', item };
    yield { kind: 'end' };
  }

  private async *transactions(state: ExportState): AsyncGenerator<PackagePart> {
    const { tx, asOf, refs } = state;
    for (const event of await this.ledger.classEvents(tx, asOf))
      yield { kind: 'item', item: classEventObject(event, state.issuerId, state.currency, refs) };
    yield { kind: 'lines', lines: this.ledger.securityLines(tx, asOf) };
    yield { kind: 'lines', lines: this.ledger.transactionLines(tx, asOf) };
    const became: string[] = [];
    for await (const page of this.equity.grantTransactions(tx, asOf))
      for (const t of page) if (t.resulting_security_id) became.push(t.resulting_security_id);
    state.securityRefs = await this.ledger.securityRefs(tx, asOf, became);
    yield* this.equityTransactions(state);
    for (const item of await this.retained.list(tx, 'OCF_TRANSACTIONS_FILE'))
      yield { kind: 'item', item };
  }

  private async *equityTransactions(state: ExportState): AsyncGenerator<PackagePart> {
    const { tx, asOf, refs } = state;
    for (const adjustment of await this.equity.poolAdjustments(tx, asOf))
      yield { kind: 'item', item: poolAdjustmentObject(adjustment) };
    const starts = new Map(
      state.terms.map((t) => [
        t.ocf_id ?? t.id,
        t.vesting_conditions.find((c) => c.trigger.type === 'VESTING_START_DATE')?.id,
      ]),
    );
    for await (const page of this.equity.grants(tx, asOf))
      for (const grant of page) {
        yield { kind: 'item', item: grantObject(grant, refs) };
        const start = vestingStartObject(grant, starts.get(grant.vesting_terms_ref ?? ''));
        if (start) yield { kind: 'item', item: start };
      }
    for await (const page of this.equity.grantTransactions(tx, asOf))
      for (const t of page) {
        const resulting = t.resulting_security_id
          ? (state.securityRefs.get(t.resulting_security_id) ?? t.resulting_security_id)
          : null;
        const item = grantTransactionObject(t, resulting, state.currency);
        if (item) yield { kind: 'item', item };
      }
  }
}
