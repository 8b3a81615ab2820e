import { Global, Module } from '@nestjs/common';
import { DILUTION } from '../issuances';
import { DilutionRepository } from './persistence/dilution.repository';

/**
 * Provides the issuances module's DILUTION port (the fully diluted cap table's grants and pools).
 * Global, because the issuances module cannot import this module (which depends on it).
 */
@Global()
@Module({
  providers: [DilutionRepository, { provide: DILUTION, useExisting: DilutionRepository }],
  exports: [DILUTION],
})
export class EquityDilutionModule {}
