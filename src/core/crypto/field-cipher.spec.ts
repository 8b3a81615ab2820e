import { randomBytes } from 'node:crypto';
import { FieldCipher, parseKeyRing } from './field-cipher';

const key = () => randomBytes(32).toString('base64');

describe('FieldCipher', () => {
  const ring = parseKeyRing(`k1:${key()}`);
  const cipher = new FieldCipher(ring);

  it('round-trips a value and never stores the plaintext', () => {
    const stored = cipher.encrypt('123-45-6789', 'shareholder.tax_id.a');
    expect(stored).not.toContain('123-45-6789');
    expect(stored.startsWith('v1.k1.')).toBe(true);
    expect(cipher.decrypt(stored, 'shareholder.tax_id.a')).toBe('123-45-6789');
  });

  it('refuses a ciphertext moved to another record or field', () => {
    const stored = cipher.encrypt('secret', 'shareholder.tax_id.a');
    expect(() => cipher.decrypt(stored, 'shareholder.tax_id.b')).toThrow();
    expect(() => cipher.decrypt(stored, 'shareholder.phone.a')).toThrow();
  });

  it('refuses a tampered ciphertext', () => {
    const stored = cipher.encrypt('secret', 'x');
    const parts = stored.split('.');
    parts[4] = Buffer.from('tampered').toString('base64url');
    expect(() => cipher.decrypt(parts.join('.'), 'x')).toThrow();
  });

  it('reads values of a retired key after rotation and writes with the new one', () => {
    const oldKey = key();
    const before = new FieldCipher(parseKeyRing(`old:${oldKey}`)).encrypt('v', 'x');
    const rotated = new FieldCipher(parseKeyRing(`new:${key()},old:${oldKey}`));
    expect(rotated.decrypt(before, 'x')).toBe('v');
    expect(rotated.needsRotation(before)).toBe(true);
    expect(rotated.encrypt('v', 'x').split('.')[1]).toBe('new');
  });

  it('refuses a key ring with a short key or an unknown active key', () => {
    expect(() => parseKeyRing('k:' + randomBytes(16).toString('base64'))).toThrow(/32-byte/);
    expect(() => parseKeyRing(`k:${key()}`, 'other')).toThrow(/active/);
  });
});
