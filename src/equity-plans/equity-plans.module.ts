import { Module } from '@nestjs/common';
import { IssuancesModule } from '../issuances';
import { OcfModule } from '../ocf';
import { ShareholdersModule } from '../shareholders';
import { EquityDilutionModule } from './equity-dilution.module';
import { GrantExpiryScheduler } from './grant-expiry.scheduler';
import { GrantExpiryService } from './grant-expiry.service';
import { GrantRecorder } from './grant-recorder';
import { GrantTransactionsService } from './grant-transactions.service';
import { GrantsController } from './grants.controller';
import { EquityExportService } from './equity-export.service';
import { EquityExportRepository } from './persistence/equity-export.repository';
import { GrantsService } from './grants.service';
import { GrantsRepository } from './persistence/grants.repository';
import { StockPlansRepository } from './persistence/stock-plans.repository';
import { VestingTermsRepository } from './persistence/vesting-terms.repository';
import { StockPlansController } from './stock-plans.controller';
import { StockPlansService } from './stock-plans.service';
import { VestingTermsController } from './vesting-terms.controller';
import { VestingTermsService } from './vesting-terms.service';

/**
 * Equity plans: stock plans and their pools, vesting terms, grants of options and RSUs, and what
 * happens to them (exercises become stock issuances through the issuances module's service), and
 * their expirations, recorded by a sweep or by the next read or write of the grant.
 */
@Module({
  imports: [IssuancesModule, ShareholdersModule, OcfModule, EquityDilutionModule],
  controllers: [StockPlansController, VestingTermsController, GrantsController],
  providers: [
    StockPlansRepository,
    VestingTermsRepository,
    GrantsRepository,
    StockPlansService,
    VestingTermsService,
    GrantsService,
    GrantTransactionsService,
    GrantRecorder,
    GrantExpiryService,
    GrantExpiryScheduler,
    EquityExportRepository,
    EquityExportService,
  ],
  exports: [
    GrantsService,
    GrantTransactionsService,
    StockPlansService,
    VestingTermsService,
    EquityExportService,
  ],
})
export class EquityPlansModule {}
