import { Module } from '@nestjs/common';
import { OcfSchemas } from './ocf-schemas';

/** The Open Cap Format: the official 1.2.0 schemas, loaded once, for every module that checks OCF. */
@Module({
  providers: [{ provide: OcfSchemas, useFactory: () => new OcfSchemas() }],
  exports: [OcfSchemas],
})
export class OcfModule {}
