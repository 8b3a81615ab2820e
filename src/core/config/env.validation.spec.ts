import 'reflect-metadata';
import { generateKeyPairSync } from 'node:crypto';
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

describe('validateEnv, the audit checkpoint keys', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const der = privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
  const publicDer = publicKey.export({ format: 'der', type: 'spki' }).toString('base64');

  it('refuses to start in production without a signing key, naming the variable', () => {
    expect(() => validateEnv({ ...valid, NODE_ENV: 'production' })).toThrow(
      /AUDIT_CHECKPOINT_SIGNING_KEY is required in production/,
    );
    expect(
      validateEnv({ ...valid, NODE_ENV: 'production', AUDIT_CHECKPOINT_SIGNING_KEY: der }),
    ).toMatchObject({ AUDIT_CHECKPOINT_SIGNING_KEY: der });
  });

  it('leaves the key optional elsewhere', () => {
    expect(validateEnv(valid).AUDIT_CHECKPOINT_SIGNING_KEY).toBeUndefined();
  });

  it('takes a PKCS#8 PEM, also on one line with \\n, or base64 DER', () => {
    for (const key of [pem, pem.replace(/\n/g, '\\n'), der]) {
      expect(() => validateEnv({ ...valid, AUDIT_CHECKPOINT_SIGNING_KEY: key })).not.toThrow();
    }
  });

  it('refuses a key of another type, a public key, and text that is no key', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .privateKey.export({ format: 'pem', type: 'pkcs8' })
      .toString();
    const publicPem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
    for (const key of [rsa, publicPem, 'not-a-key', Buffer.alloc(48).toString('base64'), '']) {
      expect(() =>
        validateEnv({ ...valid, NODE_ENV: 'production', AUDIT_CHECKPOINT_SIGNING_KEY: key }),
      ).toThrow(/AUDIT_CHECKPOINT_SIGNING_KEY must be an Ed25519 private key/);
    }
  });

  it('checks the verification-only public keys', () => {
    const other = generateKeyPairSync('ed25519').publicKey.export({ format: 'pem', type: 'spki' });
    expect(() =>
      validateEnv({ ...valid, AUDIT_CHECKPOINT_PUBLIC_KEYS: `${publicDer},${publicDer}` }),
    ).not.toThrow();
    expect(() =>
      validateEnv({
        ...valid,
        AUDIT_CHECKPOINT_PUBLIC_KEYS: `${other.toString()}${other.toString()}`,
      }),
    ).not.toThrow();
    expect(() => validateEnv({ ...valid, AUDIT_CHECKPOINT_PUBLIC_KEYS: der })).toThrow(
      /AUDIT_CHECKPOINT_PUBLIC_KEYS/,
    );
  });

  it('takes an interval of 0 (off) or of at least a second', () => {
    expect(validateEnv(valid).AUDIT_CHECKPOINT_INTERVAL_MS).toBe(300_000);
    expect(
      validateEnv({ ...valid, AUDIT_CHECKPOINT_INTERVAL_MS: '0' }).AUDIT_CHECKPOINT_INTERVAL_MS,
    ).toBe(0);
    expect(() => validateEnv({ ...valid, AUDIT_CHECKPOINT_INTERVAL_MS: '10' })).toThrow(
      /AUDIT_CHECKPOINT_INTERVAL_MS must be 0 \(off\) or at least 1000/,
    );
  });
});
