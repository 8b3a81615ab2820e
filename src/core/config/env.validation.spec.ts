import 'reflect-metadata';
import { validateEnv } from './env.validation';

const valid = {
  DATABASE_URL: 'postgres://app@localhost:5432/cap_table',
  ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
  OIDC_ISSUER_URL: 'http://localhost:8080/realms/corporate-os',
};

describe('validateEnv', () => {
  it('applies defaults for optional variables', () => {
    const config = validateEnv(valid);
    expect(config.PORT).toBe(3000);
    expect(config.OIDC_AUDIENCE).toBe('corporate-os-api');
    expect(config.OIDC_JWKS_URL).toBeUndefined();
    expect(config.TOKEN_ENDPOINT_ENABLED).toBe(true);
  });

  it('converts numeric and boolean strings', () => {
    const config = validateEnv({ ...valid, PORT: '8081', TOKEN_ENDPOINT_ENABLED: 'false' });
    expect(config.PORT).toBe(8081);
    expect(config.TOKEN_ENDPOINT_ENABLED).toBe(false);
  });

  it('refuses to start without DATABASE_URL and names the variable', () => {
    expect(() => validateEnv({ OIDC_ISSUER_URL: valid.OIDC_ISSUER_URL })).toThrow(/DATABASE_URL/);
  });

  it('refuses a malformed issuer URL and a port out of range, naming both', () => {
    const attempt = () => validateEnv({ ...valid, OIDC_ISSUER_URL: 'keycloak', PORT: '70000' });
    expect(attempt).toThrow(/OIDC_ISSUER_URL/);
    expect(attempt).toThrow(/PORT/);
  });

  it('gives requests 30 s to arrive by default and refuses a timeout out of range', () => {
    expect(validateEnv(valid).REQUEST_TIMEOUT_MS).toBe(30_000);
    expect(validateEnv({ ...valid, REQUEST_TIMEOUT_MS: '500' }).REQUEST_TIMEOUT_MS).toBe(500);
    expect(() => validateEnv({ ...valid, REQUEST_TIMEOUT_MS: '0' })).toThrow(/REQUEST_TIMEOUT_MS/);
  });

  it('refuses a boolean that is not one', () => {
    expect(() => validateEnv({ ...valid, TOKEN_ENDPOINT_ENABLED: 'maybe' })).toThrow(
      /TOKEN_ENDPOINT_ENABLED/,
    );
  });
});
