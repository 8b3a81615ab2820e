import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { ThrottlerModule } from '@nestjs/throttler';
import { AppConfigService } from '../config/app-config.service';
import { PrincipalThrottlerGuard, throttlerOptions } from '../http/throttling';
import { AuthController } from './auth.controller';
import { JwtAuthGuard } from './jwt-auth.guard';
import { JwtStrategy } from './jwt.strategy';
import { OidcDiscoveryService } from './oidc-discovery.service';
import { CompanyGuard } from '../tenancy/company.guard';
import { RolesGuard } from './roles.guard';
import { SigningKeysService } from './signing-keys.service';
import { TokenService } from './token.service';

@Module({
  imports: [
    PassportModule.register({ session: false }),
    ThrottlerModule.forRootAsync({ inject: [AppConfigService], useFactory: throttlerOptions }),
  ],
  controllers: [AuthController],
  providers: [
    OidcDiscoveryService,
    SigningKeysService,
    JwtStrategy,
    TokenService,
    // Order matters: authenticate, resolve the company (and the caller's roles there), then
    // count per principal and company, then check roles.
    { provide: APP_GUARD, useClass: JwtAuthGuard },
    { provide: APP_GUARD, useClass: CompanyGuard },
    { provide: APP_GUARD, useClass: PrincipalThrottlerGuard },
    { provide: APP_GUARD, useClass: RolesGuard },
  ],
  exports: [OidcDiscoveryService, SigningKeysService],
})
export class AuthModule {}
