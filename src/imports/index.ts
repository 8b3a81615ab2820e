/** The imports module's public surface: what other modules may import. */
export { ImportsModule } from './imports.module';
