/** The certificates module's public surface: what other modules may import. */
export { CertificatesModule } from './certificates.module';
export { CertificatesService } from './certificates.service';
export * from './certificates.errors';
