import { createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { CHECKPOINT_TYPE, checkpointPayload, payloadFields } from './audit-checkpoint-payload';
import { CheckpointSigner } from './audit-checkpoint-signer';

const head = { seq: 42n, hash: 'ab'.repeat(32) };
const at = new Date('2026-12-01T10:20:30.456Z');
const newKey = () => generateKeyPairSync('ed25519').privateKey;

describe('checkpointPayload', () => {
  it('is canonical JSON of the fields, the type and the algorithm', () => {
    expect(
      checkpointPayload({
        seq: 42,
        hash: head.hash,
        recorded_at: at.toISOString(),
        key_id: '0123456789abcdef',
      }),
    ).toBe(
      `{"algorithm":"Ed25519","hash":"${head.hash}","key_id":"0123456789abcdef",` +
        `"recorded_at":"2026-12-01T10:20:30.456Z","seq":42,"type":"${CHECKPOINT_TYPE}"}`,
    );
  });

  it('reads back only payloads in exactly that form', () => {
    const fields = {
      seq: 7,
      hash: head.hash,
      recorded_at: at.toISOString(),
      key_id: 'a'.repeat(16),
    };
    const payload = checkpointPayload(fields);
    expect(payloadFields(payload)).toEqual(fields);
    const parsed = JSON.parse(payload) as Record<string, unknown>;
    for (const other of [
      JSON.stringify(parsed, null, 1),
      JSON.stringify({ ...parsed, type: 'other' }),
      payload.replace('"seq":7', '"seq":7.5'),
      payload.replace('"seq":7', '"seq":"7"'),
      payload.replace(head.hash, head.hash.toUpperCase()),
      payload.replace('"Ed25519"', '"RS256"'),
      'null',
      '{',
    ]) {
      expect(payloadFields(other)).toBeNull();
    }
  });
});

const COMPANY = '0b0e7a34-8f1c-4d3a-9b51-6f0c2a1d9e77';
const OTHER_COMPANY = '9d1f0c2a-1d9e-4c3a-8b51-6f0c2a1d9e77';

describe('CheckpointSigner', () => {
  it('names the company whose chain it checkpoints, and vouches for that chain only', () => {
    const key = newKey();
    const signer = new CheckpointSigner(key);
    const checkpoint = signer.sign(head, at, COMPANY);
    expect(JSON.parse(checkpoint.payload)).toMatchObject({
      company_id: COMPANY,
      type: 'corporate-os.audit-checkpoint.v2',
    });
    expect(checkpoint.company_id).toBe(COMPANY);
    expect(signer.check(checkpoint, COMPANY)).toBe('valid');
    expect(signer.check(checkpoint, OTHER_COMPANY)).toBe('invalid');
    // One made before companies (v1, naming none) is still checked by its signature alone.
    const fields = { seq: 7, hash: head.hash, recorded_at: at.toISOString(), key_id: signer.keyId };
    const v1 = checkpointPayload(fields);
    const signature = sign(null, Buffer.from(v1), key).toString('base64');
    expect(signer.check({ ...fields, signature, payload: v1 }, OTHER_COMPANY)).toBe('valid');
  });

  it('signs the payload so that the public key alone verifies it, as an auditor would offline', () => {
    const signer = new CheckpointSigner(newKey());
    const checkpoint = signer.sign(head, at, COMPANY);
    expect(checkpoint).toMatchObject({
      seq: 42,
      hash: head.hash,
      recorded_at: at.toISOString(),
      key_id: signer.keyId,
      algorithm: 'Ed25519',
    });
    // The README's recipe: the checkpoint JSON and the PEM public key, nothing else.
    const [published] = signer.keys();
    const saved = JSON.parse(JSON.stringify(checkpoint)) as typeof checkpoint;
    const publicKey = createPublicKey(published?.public_key ?? '');
    const signature = Buffer.from(saved.signature, 'base64');
    expect(verify(null, Buffer.from(saved.payload), publicKey, signature)).toBe(true);
    expect(JSON.parse(saved.payload)).toMatchObject({ seq: 42, hash: head.hash });
    expect(verify(null, Buffer.from(saved.payload.replace('42', '41')), publicKey, signature)).toBe(
      false,
    );
  });

  it('accepts its own checkpoints and refuses altered ones', () => {
    const signer = new CheckpointSigner(newKey());
    const checkpoint = signer.sign(head, at, COMPANY);
    expect(signer.check(checkpoint)).toBe('valid');
    const flipped = `${checkpoint.signature[0] === 'A' ? 'B' : 'A'}${checkpoint.signature.slice(1)}`;
    expect(signer.check({ ...checkpoint, signature: flipped })).toBe('invalid');
    expect(signer.check({ ...checkpoint, signature: `${checkpoint.signature} ` })).toBe('invalid');
    expect(signer.check({ ...checkpoint, seq: 43 })).toBe('invalid');
    expect(signer.check({ ...checkpoint, hash: 'cd'.repeat(32) })).toBe('invalid');
    expect(signer.check({ ...checkpoint, recorded_at: new Date().toISOString() })).toBe('invalid');
    const forged = checkpointPayload({
      seq: 40,
      hash: head.hash,
      recorded_at: checkpoint.recorded_at,
      key_id: signer.keyId,
    });
    expect(signer.check({ ...checkpoint, seq: 40, payload: forged })).toBe('invalid');
  });

  it('verifies checkpoints of a rotated-out key only while its public key is listed', () => {
    const oldKey = newKey();
    const old = new CheckpointSigner(oldKey).sign(head, at, COMPANY);
    const rotated = new CheckpointSigner(newKey(), [createPublicKey(oldKey)]);
    expect(rotated.check(old)).toBe('valid');
    expect(rotated.keys().map((k) => [k.key_id === old.key_id, k.signing])).toEqual([
      [false, true],
      [true, false],
    ]);
    expect(new CheckpointSigner(newKey()).check(old)).toBe('unknown-key');
  });
});
