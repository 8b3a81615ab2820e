import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { AuthController } from './auth.controller';
import { JwtAuthGuard } from './jwt-auth.guard';
import { JwtStrategy } from './jwt.strategy';
import { OidcDiscoveryService } from './oidc-discovery.service';
import { RolesGuard } from './roles.guard';
import { SigningKeysService } from './signing-keys.service';
import { TokenService } from './token.service';

@Module({
  imports: [PassportModule.register({ session: false })],
  controllers: [AuthController],
  providers: [
    OidcDiscoveryService,
    SigningKeysService,
    JwtStrategy,
    TokenService,
    { provide: APP_GUARD, useClass: JwtAuthGuard },
    { provide: APP_GUARD, useClass: RolesGuard },
  ],
  exports: [OidcDiscoveryService, SigningKeysService],
})
export class AuthModule {}
