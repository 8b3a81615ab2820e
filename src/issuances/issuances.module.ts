import { Module } from '@nestjs/common';
import { ShareholdersModule } from '../shareholders/shareholders.module';
import { CapTableController } from './cap-table.controller';
import { CapTableService } from './cap-table.service';
import { CompanyController } from './company.controller';
import { CompanyService } from './company.service';
import { DemoDataSeeder } from './demo-data.seeder';
import { IdempotencyService } from './idempotency.service';
import { IssuanceFactsService } from './issuance-facts.service';
import { IssuanceReadCache } from './issuance-read-cache';
import { IssuancesController } from './issuances.controller';
import { IssuancesService } from './issuances.service';
import { ShareClassesController } from './share-classes.controller';
import { ShareClassesService } from './share-classes.service';

@Module({
  imports: [ShareholdersModule],
  controllers: [CompanyController, ShareClassesController, IssuancesController, CapTableController],
  providers: [
    CompanyService,
    ShareClassesService,
    IdempotencyService,
    IssuancesService,
    CapTableService,
    DemoDataSeeder,
    IssuanceFactsService,
    IssuanceReadCache,
  ],
  exports: [
    IssuancesService,
    IssuanceFactsService,
    CompanyService,
    ShareClassesService,
    DemoDataSeeder,
  ],
})
export class IssuancesModule {}
