import {
  createHmac,
  createPublicKey,
  createSign,
  generateKeyPairSync,
  KeyObject,
} from 'node:crypto';
import { ISSUER } from './env';

/** Hand-made tokens, used only to prove that forged tokens are rejected. */
const encode = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

export function unsignedToken(payload: object): string {
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode(payload)}.`;
}

export function hs256Token(payload: object, secret: string | Buffer, kid?: string): string {
  const head = `${encode({ alg: 'HS256', typ: 'JWT', ...(kid ? { kid } : {}) })}.${encode(payload)}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}

export function rs256Token(payload: object, privateKey: KeyObject, kid: string): string {
  const head = `${encode({ alg: 'RS256', typ: 'JWT', kid })}.${encode(payload)}`;
  return `${head}.${createSign('RSA-SHA256').update(head).sign(privateKey).toString('base64url')}`;
}

export function otherRsaKey(): KeyObject {
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
}

export interface RealmKey {
  kid: string;
  pem: string;
}

/** The realm's current RS256 signing key, as published in its JWKS. */
export async function realmSigningKey(): Promise<RealmKey> {
  const response = await fetch(`${ISSUER}/protocol/openid-connect/certs`);
  const { keys } = (await response.json()) as {
    keys: Array<import('node:crypto').JsonWebKey & { kid: string; alg?: string; use?: string }>;
  };
  const key = keys.find((k) => k.alg === 'RS256' && k.use === 'sig');
  if (!key) throw new Error('realm publishes no RS256 signing key');
  const pem = createPublicKey({ key, format: 'jwk' })
    .export({ type: 'spki', format: 'pem' })
    .toString();
  return { kid: key.kid, pem };
}
