import 'reflect-metadata';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
      /AUDIT_CHECKPOINT_SIGNING_KEY or AUDIT_CHECKPOINT_SIGNING_KEY_FILE is required in production/,
    );
    const config = validateEnv({
      ...valid,
      NODE_ENV: 'production',
      AUDIT_CHECKPOINT_SIGNING_KEY: der,
    });
    expect(config).toMatchObject({ AUDIT_CHECKPOINT_SIGNING_KEY: der });
    expect(config.auditCheckpointSigningKey?.equals(privateKey)).toBe(true);
  });

  it('leaves the key optional elsewhere', () => {
    const config = validateEnv(valid);
    expect(config.AUDIT_CHECKPOINT_SIGNING_KEY).toBeUndefined();
    expect(config.auditCheckpointSigningKey).toBeUndefined();
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

describe('validateEnv, the audit checkpoint key in a file', () => {
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const der = privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
  let dir: string;
  const file = (name: string, contents: string): string => {
    const path = join(dir, name);
    writeFileSync(path, contents, { mode: 0o600 });
    return path;
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'signing-key-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('signs with the key of the file, PEM or base64 DER, also in production', () => {
    for (const path of [file('key.pem', pem), file('key.der.b64', `${der}\n`)]) {
      const config = validateEnv({
        ...valid,
        NODE_ENV: 'production',
        AUDIT_CHECKPOINT_SIGNING_KEY_FILE: path,
      });
      expect(config.AUDIT_CHECKPOINT_SIGNING_KEY).toBeUndefined();
      expect(config.auditCheckpointSigningKey?.equals(privateKey)).toBe(true);
    }
  });

  it('refuses to start when the file is missing, naming the variable', () => {
    const missing = join(dir, 'missing.pem');
    const attempt = () => validateEnv({ ...valid, AUDIT_CHECKPOINT_SIGNING_KEY_FILE: missing });
    expect(attempt).toThrow(/AUDIT_CHECKPOINT_SIGNING_KEY_FILE: cannot read the key file/);
    expect(attempt).toThrow(missing);
  });

  it('refuses the inline key and the file together', () => {
    expect(() =>
      validateEnv({
        ...valid,
        AUDIT_CHECKPOINT_SIGNING_KEY: der,
        AUDIT_CHECKPOINT_SIGNING_KEY_FILE: file('both.pem', pem),
      }),
    ).toThrow(
      /AUDIT_CHECKPOINT_SIGNING_KEY_FILE: set AUDIT_CHECKPOINT_SIGNING_KEY or AUDIT_CHECKPOINT_SIGNING_KEY_FILE, not both/,
    );
  });

  it('refuses a file that holds no Ed25519 private key', () => {
    const publicPem = createPublicKey(privateKey).export({ format: 'pem', type: 'spki' });
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .privateKey.export({ format: 'pem', type: 'pkcs8' })
      .toString();
    for (const contents of [publicPem.toString(), rsa, 'not-a-key', '']) {
      const path = file('invalid.pem', contents);
      expect(() =>
        validateEnv({ ...valid, NODE_ENV: 'production', AUDIT_CHECKPOINT_SIGNING_KEY_FILE: path }),
      ).toThrow(/AUDIT_CHECKPOINT_SIGNING_KEY_FILE: ".*" must hold an Ed25519 private key/);
    }
  });
});
