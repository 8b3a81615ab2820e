import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const FORMAT_VERSION = 'v1';

export interface KeyRing {
  activeKeyId: string;
  keys: ReadonlyMap<string, Buffer>;
}

export function parseKeyRing(spec: string, activeKeyId?: string): KeyRing {
  const keys = new Map<string, Buffer>();
  for (const entry of spec.split(',')) {
    const [kid, encoded] = entry.split(':');
    const key = Buffer.from(encoded ?? '', 'base64');
    if (!kid || key.length !== 32)
      throw new Error(`encryption key ${kid ?? '?'} is not a 32-byte key`);
    if (keys.has(kid)) throw new Error(`encryption key id ${kid} is listed twice`);
    keys.set(kid, key);
  }
  const active = activeKeyId ?? [...keys.keys()][0];
  if (!active || !keys.has(active))
    throw new Error(`active encryption key ${active} is not in the key ring`);
  return { activeKeyId: active, keys };
}

/**
 * AES-256-GCM for single fields. The stored form `v1.<kid>.<iv>.<tag>.<ciphertext>` keeps the key
 * id beside the ciphertext so keys can rotate; the associated data binds a value to its record and
 * field, so a ciphertext copied into another row or column does not decrypt.
 */
export class FieldCipher {
  constructor(private readonly ring: KeyRing) {}

  encrypt(plaintext: string, associatedData: string): string {
    const kid = this.ring.activeKeyId;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.key(kid), iv);
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const parts = [iv, cipher.getAuthTag(), ciphertext].map((b) => b.toString('base64url'));
    return [FORMAT_VERSION, kid, ...parts].join('.');
  }

  decrypt(stored: string, associatedData: string): string {
    const [version, kid, iv, tag, ciphertext] = stored.split('.');
    if (version !== FORMAT_VERSION || !kid || !iv || !tag || ciphertext === undefined) {
      throw new Error('not an encrypted field value');
    }
    const decipher = createDecipheriv(ALGORITHM, this.key(kid), Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([
      decipher.update(Buffer.from(ciphertext, 'base64url')),
      decipher.final(),
    ]).toString('utf8');
  }

  /** Whether a stored value was encrypted with an older key and should be re-encrypted. */
  needsRotation(stored: string): boolean {
    return stored.split('.')[1] !== this.ring.activeKeyId;
  }

  private key(kid: string): Buffer {
    const key = this.ring.keys.get(kid);
    if (!key) throw new Error(`encryption key ${kid} is not configured`);
    return key;
  }
}
