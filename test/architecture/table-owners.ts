/**
 * Which feature module owns each table (or view) of the schema: the one place this is written down.
 *
 * Only the owner's data-access files (`src/<module>/<module>.repository.ts`, files under
 * `src/<module>/persistence/`) may name a table in SQL or use its TypeORM entity; every other
 * module goes through the owner's public surface (`src/<module>/index.ts`). src/core/ owns no
 * table.
 *
 * sql-boundaries.spec.ts keeps this map honest: every table or view the migrations create must be
 * listed, every entry must still be created by the migrations, and every `@Entity` must sit in the
 * module that owns its table. A new table therefore fails the build until it is given an owner
 * here.
 */
export const TABLE_OWNERS: Readonly<Record<string, string>> = {
  // Holders and the history of their records (ShareholdersService, ShareholderChangeRecorder).
  shareholder: 'shareholders',
  shareholder_version: 'shareholders',

  // The company, its share classes and the issuances against them (IssuancesService,
  // ShareClassesService, CompanyService), and the idempotency keys of their write endpoints
  // (IdempotencyService).
  company: 'issuances',
  share_class: 'issuances',
  issuance: 'issuances',
  stock_transaction: 'issuances',
  conversion_ratio_adjustment: 'issuances',
  stock_class_split: 'issuances',
  authorized_shares_adjustment: 'issuances',
  company_authorized_shares_adjustment: 'issuances',
  idempotency_key: 'issuances',

  // Equity plans, vesting terms, grants and their transactions (StockPlansService,
  // VestingTermsService, GrantsService).
  stock_plan: 'equity-plans',
  stock_plan_pool_adjustment: 'equity-plans',
  vesting_terms: 'equity-plans',
  equity_grant: 'equity-plans',
  equity_grant_transaction: 'equity-plans',

  // OCF objects an import keeps verbatim and the export gives back (OcfRetainedObjects).
  ocf_retained_object: 'ocf-packages',

  // Who may act in each company, and as what (MembershipsService, CompanyAccessService).
  company_member: 'companies',

  // Stored certificate documents, their numbering, and the render queue (CertificateIssuer,
  // CertificateNumberingService, CertificateRenderWorker).
  certificate: 'certificates',
  certificate_assignment: 'certificates',
  certificate_counter: 'certificates',
  certificate_request: 'certificates',
  certificate_cancellation: 'certificates',

  // The append-only, hash-chained audit log (AuditWriter, AuditService) and the signed checkpoints
  // of its head (AuditCheckpointService).
  audit_entry: 'audit',
  audit_checkpoint: 'audit',

  // The transactional outbox and the consumers' record of handled events (OutboxService,
  // OutboxRelay, ProcessedEventsService).
  outbox_event: 'events',
  processed_event: 'events',
};
