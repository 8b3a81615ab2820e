import { Global, Module } from '@nestjs/common';
import { DefaultCompany } from './default-company';

@Global()
@Module({ providers: [DefaultCompany], exports: [DefaultCompany] })
export class TenancyModule {}
