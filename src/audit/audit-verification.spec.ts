import type { ChainWalk } from './audit-chain-walk';
import type { SignatureCheck } from './audit-checkpoint-signer';
import { CheckpointUnderTest, verificationOf } from './audit-verification';

const hashOf = (seq: number) => seq.toString(16).padStart(64, '0');

/** A walk that verified entries 1..head (or broke at `brokenAt`), capturing every hash. */
function walkTo(head: number, brokenAt?: number): ChainWalk {
  const last = brokenAt ? brokenAt - 1 : head;
  const hashes = new Map<bigint, string>();
  for (let seq = 1; seq <= last; seq += 1) hashes.set(BigInt(seq), hashOf(seq));
  return {
    checked: last,
    broken: brokenAt
      ? { seq: BigInt(brokenAt), code: 'CONTENT_MISMATCH', reason: 'content' }
      : null,
    last: { seq: BigInt(last), hash: hashOf(last) },
    hashes,
  };
}

const test = (
  source: 'given' | 'latest',
  seq: number,
  signature: SignatureCheck = 'valid',
  hash = hashOf(seq),
): CheckpointUnderTest => ({
  source,
  signature,
  checkpoint: {
    seq,
    hash,
    recorded_at: '2026-12-01T00:00:00.000Z',
    key_id: '0123456789abcdef',
    signature: 'sig',
    payload: 'payload',
  },
});

describe('verificationOf', () => {
  it('is ok when the chain verifies and holds both checkpoints', () => {
    expect(verificationOf(walkTo(10), test('given', 4), test('latest', 9))).toMatchObject({
      ok: true,
      reason_code: null,
      head_seq: 10,
      checkpoint: { seq: 4, signature_valid: true, in_chain: true },
      latest_checkpoint: { seq: 9, signature_valid: true, in_chain: true },
    });
  });

  it('calls a chain that ends below the latest checkpoint truncated', () => {
    expect(verificationOf(walkTo(7), null, test('latest', 9))).toMatchObject({
      ok: false,
      reason_code: 'TRUNCATED',
      first_broken_seq: 8,
      head_seq: 7,
      latest_checkpoint: { in_chain: false, signature_valid: true },
    });
  });

  it('says a given checkpoint is no longer in the chain, cut off or rewritten, before the latest', () => {
    expect(verificationOf(walkTo(7), test('given', 9), test('latest', 9))).toMatchObject({
      reason_code: 'CHECKPOINT_NOT_IN_CHAIN',
      first_broken_seq: 8,
    });
    expect(
      verificationOf(walkTo(10), test('given', 5, 'valid', 'e'.repeat(64)), null),
    ).toMatchObject({ ok: false, reason_code: 'CHECKPOINT_NOT_IN_CHAIN', first_broken_seq: 5 });
    expect(
      verificationOf(walkTo(10), null, test('latest', 5, 'valid', 'e'.repeat(64))),
    ).toMatchObject({ reason_code: 'CHECKPOINT_NOT_IN_CHAIN', first_broken_seq: 5 });
  });

  it('puts a bad signature before the chain position of the same checkpoint', () => {
    expect(verificationOf(walkTo(3), test('given', 9, 'invalid'), null)).toMatchObject({
      reason_code: 'CHECKPOINT_SIGNATURE_INVALID',
      first_broken_seq: null,
      checkpoint: { signature_valid: false, in_chain: false },
    });
    expect(verificationOf(walkTo(9), null, test('latest', 9, 'unknown-key'))).toMatchObject({
      reason_code: 'CHECKPOINT_KEY_UNKNOWN',
      latest_checkpoint: { signature_valid: false, in_chain: true },
    });
  });

  it('reports the broken entry first, and no head', () => {
    expect(verificationOf(walkTo(10, 4), test('given', 9), test('latest', 9))).toMatchObject({
      ok: false,
      reason_code: 'CONTENT_MISMATCH',
      first_broken_seq: 4,
      head_seq: null,
      checkpoint: { in_chain: false },
    });
  });

  it('reports a checkpoint asked for by a number that is not stored', () => {
    expect(verificationOf(walkTo(3), { missingSeq: '77' }, test('latest', 3))).toMatchObject({
      ok: false,
      reason_code: 'CHECKPOINT_NOT_FOUND',
      checkpoint: null,
      latest_checkpoint: { in_chain: true },
    });
  });

  it('answers an empty chain without checkpoints as ok with no head', () => {
    expect(verificationOf(walkTo(0), null, null)).toMatchObject({
      ok: true,
      checked: 0,
      head_seq: null,
      latest_checkpoint: null,
    });
  });
});
