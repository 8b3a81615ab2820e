import { Injectable } from '@nestjs/common';
import { AppConfigService } from '../config/app-config.service';
import { IdentityProviderUnavailableError } from './auth.errors';

export interface OidcMetadata {
  issuer: string;
  jwks_uri: string;
  token_endpoint: string;
  authorization_endpoint: string;
}

const DISCOVERY_TIMEOUT_MS = 5_000;

/**
 * Keycloak's endpoint layout for an issuer, used where a URL is needed synchronously at boot
 * (Swagger UI, the OpenAPI document) and Keycloak may not be up yet.
 */
export function conventionalEndpointsOf(
  issuerUrl: string,
): Pick<OidcMetadata, 'authorization_endpoint' | 'token_endpoint'> {
  const issuer = issuerUrl.replace(/\/+$/, '');
  return {
    authorization_endpoint: `${issuer}/protocol/openid-connect/auth`,
    token_endpoint: `${issuer}/protocol/openid-connect/token`,
  };
}

/** Reads the issuer's discovery document once and keeps it; a failed read is retried next time. */
@Injectable()
export class OidcDiscoveryService {
  private metadata?: Promise<OidcMetadata>;

  constructor(private readonly config: AppConfigService) {}

  get issuer(): string {
    return this.config.get('OIDC_ISSUER_URL').replace(/\/+$/, '');
  }

  async get(): Promise<OidcMetadata> {
    this.metadata ??= this.fetchMetadata().catch((error: unknown) => {
      this.metadata = undefined;
      throw error;
    });
    return this.metadata;
  }

  private async fetchMetadata(): Promise<OidcMetadata> {
    const url = `${this.issuer}/.well-known/openid-configuration`;
    let body: Partial<OidcMetadata>;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(DISCOVERY_TIMEOUT_MS) });
      if (!response.ok) throw new Error(`discovery answered ${response.status}`);
      body = (await response.json()) as Partial<OidcMetadata>;
    } catch (error) {
      throw new IdentityProviderUnavailableError(error);
    }
    if (body.issuer !== this.issuer || !body.jwks_uri || !body.token_endpoint) {
      throw new IdentityProviderUnavailableError(
        new Error(`discovery document of ${url} does not describe issuer ${this.issuer}`),
      );
    }
    return body as OidcMetadata;
  }
}
