import { Module } from '@nestjs/common';
import { ShareholdersModule } from '../shareholders';
import { CapTableController } from './cap-table.controller';
import { CapTableService } from './cap-table.service';
import { CompanyController } from './company.controller';
import { CompanyService } from './company.service';
import { DemoDataSeeder } from './demo-data.seeder';
import { IdempotencyService } from './idempotency.service';
import { IssuanceFactsService } from './issuance-facts.service';
import { LedgerExportService } from './ledger-export.service';
import { LedgerExportRepository } from './persistence/ledger-export.repository';
import { IssuanceReadCache } from './issuance-read-cache';
import { IssuancesController } from './issuances.controller';
import { IssuancesService } from './issuances.service';
import { LedgerHoldingsModule } from './ledger-holdings.module';
import { SecurityTransactionsController } from './ledger.controller';
import { LedgerReconciliationController, TransactionsController } from './transactions.controller';
import { LedgerReconciliation } from './ledger-reconciliation.service';
import { LedgerSplits } from './ledger-splits.service';
import { LedgerReversals } from './ledger-reversals.service';
import { CompanyAuthorizedSharesService } from './company-authorized-shares.service';
import { CompanyAuthorizedSharesRepository } from './persistence/company-authorized-shares.repository';
import { ReversalsRepository } from './persistence/reversals.repository';
import { AuthorizedSharesService } from './authorized-shares.service';
import { AuthorizedSharesRepository } from './persistence/authorized-shares.repository';
import { SplitsRepository } from './persistence/splits.repository';
import { ReconciliationRepository } from './persistence/reconciliation.repository';
import { LedgerConversions } from './ledger-conversions';
import { LedgerQueries } from './ledger-queries.service';
import { LedgerService } from './ledger.service';
import { LedgerRepository } from './persistence/ledger.repository';
import { CapTableRepository } from './persistence/cap-table.repository';
import { CompanyRepository } from './persistence/company.repository';
import { IdempotencyRepository } from './persistence/idempotency.repository';
import { IssuanceFactsRepository } from './persistence/issuance-facts.repository';
import { IssuancesRepository } from './persistence/issuances.repository';
import { ShareClassesRepository } from './persistence/share-classes.repository';
import { ShareClassesController } from './share-classes.controller';
import { ShareClassesService } from './share-classes.service';

@Module({
  imports: [ShareholdersModule, LedgerHoldingsModule],
  controllers: [
    CompanyController,
    ShareClassesController,
    IssuancesController,
    SecurityTransactionsController,
    TransactionsController,
    LedgerReconciliationController,
    CapTableController,
  ],
  providers: [
    CompanyRepository,
    IdempotencyRepository,
    IssuancesRepository,
    ShareClassesRepository,
    IssuanceFactsRepository,
    CapTableRepository,
    LedgerRepository,
    CompanyService,
    ShareClassesService,
    IdempotencyService,
    IssuancesService,
    LedgerService,
    LedgerQueries,
    LedgerConversions,
    LedgerReconciliation,
    ReconciliationRepository,
    LedgerSplits,
    SplitsRepository,
    LedgerReversals,
    ReversalsRepository,
    CompanyAuthorizedSharesService,
    CompanyAuthorizedSharesRepository,
    AuthorizedSharesService,
    AuthorizedSharesRepository,
    CapTableService,
    DemoDataSeeder,
    IssuanceFactsService,
    IssuanceReadCache,
    LedgerExportRepository,
    LedgerExportService,
  ],
  exports: [
    LedgerExportService,
    LedgerService,
    LedgerSplits,
    LedgerReversals,
    AuthorizedSharesService,
    CompanyAuthorizedSharesService,
    CapTableService,
    IssuancesService,
    IssuanceFactsService,
    CompanyService,
    ShareClassesService,
    DemoDataSeeder,
  ],
})
export class IssuancesModule {}
