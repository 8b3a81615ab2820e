import { Module } from '@nestjs/common';
import { IssuancesModule } from '../issuances';
import { ShareholdersModule } from '../shareholders';
import { CsvBodyParser } from './csv-body';
import { ImportsController } from './imports.controller';
import { ImportsService } from './imports.service';

/** CSV bulk imports of shareholders and issuances, through the owner modules' services. */
@Module({
  imports: [ShareholdersModule, IssuancesModule],
  controllers: [ImportsController],
  providers: [CsvBodyParser, ImportsService],
})
export class ImportsModule {}
