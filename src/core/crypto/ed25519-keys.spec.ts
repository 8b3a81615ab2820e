import { createHash, generateKeyPairSync } from 'node:crypto';
import {
  keyIdOf,
  parseEd25519PrivateKey,
  parseEd25519PublicKeys,
  publicKeyPem,
} from './ed25519-keys';

const pair = () => generateKeyPairSync('ed25519');

describe('Ed25519 keys', () => {
  it('reads a private key as PEM or base64 DER, to the same key', () => {
    const { privateKey } = pair();
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const der = privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
    expect(parseEd25519PrivateKey(pem).equals(privateKey)).toBe(true);
    expect(parseEd25519PrivateKey(` ${der}\n`).equals(privateKey)).toBe(true);
    expect(parseEd25519PrivateKey(pem.replace(/\n/g, '\\n')).equals(privateKey)).toBe(true);
    expect(parseEd25519PrivateKey(`dev-only\\n${pem}`).equals(privateKey)).toBe(true);
  });

  it('refuses keys of another type', () => {
    const { privateKey } = generateKeyPairSync('x25519');
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(() => parseEd25519PrivateKey(pem)).toThrow(/x25519 key, not Ed25519/);
    expect(() => parseEd25519PrivateKey('%%%')).toThrow(/neither a PEM nor base64 DER/);
  });

  it('reads a list of public keys as PEM blocks or comma-separated base64 DER', () => {
    const [a, b] = [pair().publicKey, pair().publicKey];
    const pems = `${publicKeyPem(a)}\n${publicKeyPem(b)}`;
    const ders = [a, b].map((k) => k.export({ format: 'der', type: 'spki' }).toString('base64'));
    for (const text of [pems, ders.join(','), ders.join(' , ')]) {
      expect(parseEd25519PublicKeys(text).map(keyIdOf)).toEqual([keyIdOf(a), keyIdOf(b)]);
    }
    expect(parseEd25519PublicKeys('  ')).toEqual([]);
  });

  it('names a key by the first 16 hex digits of the SHA-256 of its SPKI DER form', () => {
    const { publicKey } = pair();
    const der = publicKey.export({ format: 'der', type: 'spki' });
    expect(keyIdOf(publicKey)).toBe(createHash('sha256').update(der).digest('hex').slice(0, 16));
    expect(keyIdOf(publicKey)).toMatch(/^[0-9a-f]{16}$/);
  });
});
