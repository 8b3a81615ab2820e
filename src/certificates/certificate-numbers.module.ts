import { Global, Module } from '@nestjs/common';
import { CERTIFICATE_NUMBERS } from '../issuances';
import { CERTIFICATE_NUMBER_RELATION } from './persistence/certificate-queue.repository';

/**
 * Provides the issuances module's CERTIFICATE_NUMBERS port. Global, because the issuances module
 * cannot import the certificates module (which depends on it).
 */
@Global()
@Module({
  providers: [{ provide: CERTIFICATE_NUMBERS, useValue: CERTIFICATE_NUMBER_RELATION }],
  exports: [CERTIFICATE_NUMBERS],
})
export class CertificateNumbersModule {}
