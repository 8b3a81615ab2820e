import { Global, Module } from '@nestjs/common';
import { CERTIFICATE_NUMBERS, CERTIFICATE_STATES } from '../issuances';
import {
  CERTIFICATE_NUMBER_RELATION,
  CERTIFICATE_STATE_RELATION,
} from './persistence/certificate-queue.repository';

/**
 * Provides the issuances module's CERTIFICATE_NUMBERS and CERTIFICATE_STATES ports. Global, because the issuances module
 * cannot import the certificates module (which depends on it).
 */
@Global()
@Module({
  providers: [
    { provide: CERTIFICATE_NUMBERS, useValue: CERTIFICATE_NUMBER_RELATION },
    { provide: CERTIFICATE_STATES, useValue: CERTIFICATE_STATE_RELATION },
  ],
  exports: [CERTIFICATE_NUMBERS, CERTIFICATE_STATES],
})
export class CertificateNumbersModule {}
