/** The ocf module's public surface: what other modules may import. */
export { OcfModule } from './ocf.module';
export { OcfSchemas, ocfRoot, type OcfSchemaError } from './ocf-schemas';
