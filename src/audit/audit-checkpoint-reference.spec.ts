import { DomainError } from '../core/errors/domain-error';
import { checkpointPayload } from './audit-checkpoint-payload';
import { checkpointReferenceOf } from './audit-checkpoint-reference';

const fields = {
  seq: 12,
  hash: 'c'.repeat(64),
  recorded_at: '2026-12-01T00:00:00.000Z',
  key_id: '0123456789abcdef',
};
const checkpoint = {
  ...fields,
  algorithm: 'Ed25519',
  signature: 'A'.repeat(86) + '==',
  payload: checkpointPayload(fields),
};
const b64 = (value: unknown, encoding: BufferEncoding = 'base64url') =>
  Buffer.from(JSON.stringify(value)).toString(encoding);

function refusal(value: string): DomainError {
  try {
    checkpointReferenceOf(value);
  } catch (error) {
    return error as DomainError;
  }
  throw new Error(`${value} was accepted`);
}

describe('checkpointReferenceOf', () => {
  it('reads a sequence number', () => {
    expect(checkpointReferenceOf('12')).toEqual({ seq: '12' });
  });

  it('reads a saved checkpoint in either base64 alphabet, a + turned into a space included', () => {
    const expected = {
      saved: {
        ...fields,
        signature: checkpoint.signature,
        payload: checkpoint.payload,
        consistent: true,
      },
    };
    expect(checkpointReferenceOf(b64(checkpoint))).toEqual(expected);
    const standard = b64({ ...checkpoint, note: '>>>?' }, 'base64');
    expect(standard).toMatch(/\+/);
    expect(checkpointReferenceOf(standard.replace(/\+/g, ' '))).toEqual(expected);
  });

  it('takes the signed payload for what a checkpoint states, and notes fields beside it that differ', () => {
    const { seq: _seq, hash: _hash, ...bare } = checkpoint;
    expect(checkpointReferenceOf(b64(bare))).toMatchObject({
      saved: { seq: 12, consistent: true },
    });
    expect(checkpointReferenceOf(b64({ ...checkpoint, seq: 13 }))).toMatchObject({
      saved: { seq: 12, consistent: false },
    });
  });

  it('refuses anything else as a validation failure of the field checkpoint', () => {
    for (const value of [
      '0',
      '01',
      '12345678901234567',
      '%%%',
      b64('a string'),
      b64([checkpoint]),
      b64({ payload: checkpoint.payload }),
      b64({ ...checkpoint, payload: JSON.stringify({ ...fields, type: 'x' }) }),
    ]) {
      const error = refusal(value);
      expect(error).toBeInstanceOf(DomainError);
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.extras.errors?.[0]?.field).toBe('checkpoint');
    }
  });
});
