import { Global, Module } from '@nestjs/common';
import { SHAREHOLDER_HOLDINGS } from '../shareholders';
import { HoldingsRepository } from './persistence/holdings.repository';

/**
 * Provides the shareholders module's holdings port from the ledger. Global, because the
 * shareholders module cannot import the issuances module (which depends on it).
 */
@Global()
@Module({
  providers: [
    HoldingsRepository,
    { provide: SHAREHOLDER_HOLDINGS, useExisting: HoldingsRepository },
  ],
  exports: [SHAREHOLDER_HOLDINGS],
})
export class LedgerHoldingsModule {}
