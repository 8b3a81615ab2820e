import { Module } from '@nestjs/common';
import { EquityPlansModule } from '../equity-plans';
import { IssuancesModule } from '../issuances';
import { OcfModule } from '../ocf';
import { ShareholdersModule } from '../shareholders';
import { OcfExportService } from './export/ocf-export.service';
import { OcfBodyParser } from './ocf-body';
import { OcfExportController } from './ocf-export.controller';
import { OcfImportController } from './ocf-import.controller';
import { OcfImportService } from './import/ocf-import.service';
import { OcfRetainedObjects } from './ocf-retained-objects.service';
import { RetainedObjectsRepository } from './persistence/retained-objects.repository';

/**
 * Open Cap Format packages in and out: the company's whole cap table exported as OCF 1.2.0, and
 * imported from it. Reads and writes every other module's data through that module's services;
 * owns only the OCF objects it keeps verbatim (valuations, acceptances).
 */
@Module({
  imports: [OcfModule, IssuancesModule, ShareholdersModule, EquityPlansModule],
  controllers: [OcfExportController, OcfImportController],
  providers: [
    OcfExportService,
    OcfImportService,
    OcfBodyParser,
    OcfRetainedObjects,
    RetainedObjectsRepository,
  ],
})
export class OcfPackagesModule {}
