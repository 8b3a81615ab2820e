import { Global, Module } from '@nestjs/common';
import { COMPANY_ACCESS } from '../core/tenancy/company-access.port';
import { IssuancesModule } from '../issuances';
import { ShareholdersModule } from '../shareholders';
import { CompaniesController } from './companies.controller';
import { CompaniesService } from './companies.service';
import { CompanyAccessService } from './company-access.service';
import { DemoMembersSeeder } from './demo-members.seeder';
import { MembersController } from './members.controller';
import { MembershipsService } from './memberships.service';
import { MyHoldingsController } from './my-holdings.controller';
import { MyHoldingsService } from './my-holdings.service';
import { MembershipsRepository } from './persistence/memberships.repository';

/**
 * The companies of the deployment and who may act in each (company_member): the membership rules
 * behind the company guard (the COMPANY_ACCESS port, global), the companies and members routes,
 * and the investor's view across companies.
 */
@Global()
@Module({
  imports: [IssuancesModule, ShareholdersModule],
  controllers: [CompaniesController, MembersController, MyHoldingsController],
  providers: [
    MembershipsRepository,
    CompanyAccessService,
    MembershipsService,
    CompaniesService,
    MyHoldingsService,
    DemoMembersSeeder,
    { provide: COMPANY_ACCESS, useExisting: CompanyAccessService },
  ],
  exports: [COMPANY_ACCESS, DemoMembersSeeder],
})
export class CompaniesModule {}
