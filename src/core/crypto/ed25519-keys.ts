import { createHash, createPrivateKey, createPublicKey, KeyObject } from 'node:crypto';

const PEM_BLOCK = /-----BEGIN ([A-Z ]+)-----[\s\S]+?-----END \1-----/g;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Environment files often carry a PEM on one line with literal `\n`. */
const unescapeNewlines = (text: string): string => text.replace(/\\n/g, '\n').trim();

function ed25519(key: KeyObject, what: string): KeyObject {
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new Error(`${what} is a ${key.asymmetricKeyType ?? 'symmetric'} key, not Ed25519`);
  }
  return key;
}

/**
 * An Ed25519 private key from a PKCS#8 PEM (`openssl genpkey -algorithm ed25519`; text before the
 * PEM block, such as a label, is ignored as RFC 7468 allows) or the base64 of its DER form. Throws
 * on anything else.
 */
export function parseEd25519PrivateKey(text: string): KeyObject {
  const value = unescapeNewlines(text);
  const key = value.includes('-----BEGIN')
    ? createPrivateKey({ key: value, format: 'pem' })
    : BASE64.test(value)
      ? createPrivateKey({ key: Buffer.from(value, 'base64'), format: 'der', type: 'pkcs8' })
      : undefined;
  if (!key) throw new Error('the private key is neither a PEM nor base64 DER');
  return ed25519(key, 'the private key');
}

/**
 * Ed25519 public keys from one or more SPKI PEM blocks (`openssl pkey -pubout`), or from base64
 * DER forms separated by commas or white space. An empty text is no keys.
 */
export function parseEd25519PublicKeys(text: string): KeyObject[] {
  const value = unescapeNewlines(text);
  if (value === '') return [];
  if (value.includes('-----BEGIN')) {
    return [...value.matchAll(PEM_BLOCK)].map(([pem]) =>
      ed25519(createPublicKey({ key: pem, format: 'pem' }), 'a public key'),
    );
  }
  return value
    .split(/[\s,]+/)
    .filter((part) => part !== '')
    .map((part) => {
      if (!BASE64.test(part)) throw new Error('a public key is neither a PEM nor base64 DER');
      const der = Buffer.from(part, 'base64');
      return ed25519(createPublicKey({ key: der, format: 'der', type: 'spki' }), 'a public key');
    });
}

/** Whether `parse` accepts `text`; for configuration validation. */
export function parses(parse: (text: string) => unknown, text: unknown): boolean {
  if (typeof text !== 'string') return false;
  try {
    parse(text);
    return true;
  } catch {
    return false;
  }
}

/** The key id of a public key: the first 16 hex digits of the SHA-256 of its SPKI DER form. */
export function keyIdOf(publicKey: KeyObject): string {
  const der = publicKey.export({ format: 'der', type: 'spki' });
  return createHash('sha256').update(der).digest('hex').slice(0, 16);
}

/** A public key as SPKI PEM. */
export function publicKeyPem(publicKey: KeyObject): string {
  return publicKey.export({ format: 'pem', type: 'spki' }).toString();
}
