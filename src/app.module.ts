import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ProblemDetailsFilter } from './core/errors/problem-details.filter';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { AuditModule } from './audit';
import { CertificatesModule } from './certificates';
import { CompaniesModule } from './companies';
import { AppConfigModule } from './core/config/app-config.module';
import { AuthModule } from './core/auth/auth.module';
import { DatabaseModule } from './core/db/database.module';
import { HealthModule } from './core/health/health.module';
import { LoggingModule } from './core/logging/logging.module';
import { MetricsModule } from './core/metrics/metrics.module';
import { TenancyModule } from './core/tenancy/tenancy.module';
import { EventsModule } from './events';
import { IssuancesModule } from './issuances';
import { EquityPlansModule } from './equity-plans';
import { OcfPackagesModule } from './ocf-packages';
import { NotificationsModule } from './notifications';
import { ImportsModule } from './imports';
import { ShareholdersModule } from './shareholders';

@Module({
  imports: [
    AppConfigModule,
    LoggingModule,
    DatabaseModule,
    TenancyModule,
    MetricsModule,
    EventEmitterModule.forRoot({ wildcard: false, ignoreErrors: false }),
    AuthModule,
    HealthModule,
    EventsModule,
    AuditModule,
    ShareholdersModule,
    IssuancesModule,
    EquityPlansModule,
    OcfPackagesModule,
    CertificatesModule,
    CompaniesModule,
    NotificationsModule,
    ImportsModule,
  ],
  providers: [{ provide: APP_FILTER, useClass: ProblemDetailsFilter }],
})
export class AppModule {}
