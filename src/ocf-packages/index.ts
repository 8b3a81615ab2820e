/** The ocf-packages module's public surface: what other modules may import. */
export { OcfPackagesModule } from './ocf-packages.module';
