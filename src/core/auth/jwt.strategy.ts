import { Injectable } from '@nestjs/common';
import type { KeyObject } from 'node:crypto';
import { callbackify } from 'node:util';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AppConfigService } from '../config/app-config.service';
import { AuthenticationRequiredError, UntrustedTokenError } from './auth.errors';
import { AccessTokenClaims, Principal, principalFromClaims } from './principal';
import { SigningKeysService } from './signing-keys.service';
import { VerifiedTokenCache } from './verified-token-cache';

const ACCEPTED_ALGORITHM = 'RS256';
const bearerToken = ExtractJwt.fromAuthHeaderAsBearerToken();

function readHeader(rawJwt: string): { alg?: unknown; kid?: unknown } {
  const [encoded] = rawJwt.split('.');
  try {
    return JSON.parse(Buffer.from(encoded ?? '', 'base64url').toString('utf8')) as {
      alg?: unknown;
      kid?: unknown;
    };
  } catch {
    return {};
  }
}

/**
 * Verifies Keycloak access tokens against the issuer's JWKS: RS256 only, issuer and audience
 * pinned, expiry required, and only access tokens (`typ: Bearer`) accepted; ID and refresh
 * tokens are refused. Tokens are read from the Authorization header only, never the query string.
 * A token that passed is remembered briefly (VerifiedTokenCache), so a client reusing it is not
 * verified again on every request.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  private readonly verified: VerifiedTokenCache;

  constructor(config: AppConfigService, keys: SigningKeysService) {
    const fetchKey = callbackify((kid: string) => keys.getPublicKey(kid));
    super({
      jwtFromRequest: bearerToken,
      passReqToCallback: true,
      algorithms: [ACCEPTED_ALGORITHM],
      issuer: config.get('OIDC_ISSUER_URL').replace(/\/+$/, ''),
      audience: config.get('OIDC_AUDIENCE'),
      ignoreExpiration: false,
      jsonWebTokenOptions: { clockTolerance: config.get('OIDC_CLOCK_TOLERANCE_SECONDS') },
      secretOrKeyProvider: (
        _request: Request,
        rawJwt: string,
        done: (error: unknown, key?: string) => void,
      ) => {
        const { alg, kid } = readHeader(rawJwt);
        if (alg !== ACCEPTED_ALGORITHM || typeof kid !== 'string' || kid.length === 0) {
          done(
            new UntrustedTokenError(`only ${ACCEPTED_ALGORITHM} tokens with a key id are accepted`),
          );
          return;
        }
        // passport-jwt's types say string | Buffer; it hands the key to jsonwebtoken, which takes a
        // parsed KeyObject as well (and then skips parsing a PEM on every request).
        fetchKey(kid, (error: unknown, key?: KeyObject) => done(error, key as unknown as string));
      },
    });
    this.verified = new VerifiedTokenCache(
      config.get('ACCESS_TOKEN_CACHE_SECONDS') * 1000,
      config.get('ACCESS_TOKEN_CACHE_SIZE'),
    );
  }

  /** A token verified moments ago is accepted as it was then; any other takes the full check. */
  override authenticate(request: Request, options?: unknown): void {
    const token = this.verified.enabled ? bearerToken(request) : null;
    const principal = token ? this.verified.get(token) : undefined;
    if (principal) {
      this.success(principal);
      return;
    }
    super.authenticate(request, options);
  }

  validate(request: Request, claims: AccessTokenClaims): Principal {
    if (claims.typ !== 'Bearer') {
      throw new AuthenticationRequiredError(
        'The token is not an access token (ID and refresh tokens are refused).',
      );
    }
    if (typeof claims.exp !== 'number') {
      throw new AuthenticationRequiredError('The access token has no expiry.');
    }
    if (typeof claims.sub !== 'string' || claims.sub.length === 0) {
      throw new AuthenticationRequiredError('The access token has no subject.');
    }
    // Frozen: one principal may now serve several requests.
    const principal = freezePrincipal(principalFromClaims(claims));
    const token = bearerToken(request);
    if (token) this.verified.set(token, principal, claims.exp);
    return principal;
  }
}

function freezePrincipal(principal: Principal): Principal {
  Object.freeze(principal.roles);
  return Object.freeze(principal);
}
