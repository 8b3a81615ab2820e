import type { SignatureCheck, SignedCheckpoint } from './audit-checkpoint-signer';
import type { ChainWalk } from './audit-chain-walk';
import type {
  AuditVerificationDto,
  CheckpointCheckDto,
  VerificationCode,
} from './dto/audit-query.dto';

/** A checkpoint to hold the chain against: given by the caller, or the latest stored one. */
export interface CheckpointUnderTest {
  source: 'given' | 'latest';
  checkpoint: Omit<SignedCheckpoint, 'algorithm'>;
  signature: SignatureCheck;
}

interface Finding {
  code: VerificationCode;
  reason: string;
  firstBrokenSeq: number | null;
}

/** Why the chain does not hold `seq` with `hash`, or null when it does. */
function chainFinding(test: CheckpointUnderTest, walk: ChainWalk): Finding | null {
  const { seq, hash, recorded_at } = test.checkpoint;
  if (walk.hashes.get(BigInt(seq)) === hash) return null;
  const head = Number(walk.last.seq);
  if (walk.broken) {
    // The entry that breaks the chain is the finding; this one is reported only after it.
    return { code: 'CHECKPOINT_NOT_IN_CHAIN', reason: 'the chain breaks', firstBrokenSeq: null };
  }
  if (head < seq) {
    const ends = `the chain ends at entry ${head}, below the checkpoint of entry ${seq} made at ${recorded_at}`;
    return test.source === 'latest'
      ? {
          code: 'TRUNCATED',
          reason: `${ends}: entries were cut off its end`,
          firstBrokenSeq: head + 1,
        }
      : { code: 'CHECKPOINT_NOT_IN_CHAIN', reason: ends, firstBrokenSeq: head + 1 };
  }
  return {
    code: 'CHECKPOINT_NOT_IN_CHAIN',
    reason: `entry ${seq} no longer has the hash of the checkpoint made at ${recorded_at}`,
    firstBrokenSeq: seq,
  };
}

function signatureFinding(test: CheckpointUnderTest): Finding | null {
  const { seq } = test.checkpoint;
  const which = test.source === 'given' ? 'the given checkpoint' : 'the latest stored checkpoint';
  switch (test.signature) {
    case 'valid':
      return null;
    case 'unknown-key':
      return {
        code: 'CHECKPOINT_KEY_UNKNOWN',
        reason: `${which} (entry ${seq}) is signed with key ${test.checkpoint.key_id}, which this service does not know`,
        firstBrokenSeq: null,
      };
    case 'invalid':
      return {
        code: 'CHECKPOINT_SIGNATURE_INVALID',
        reason: `the signature of ${which} (entry ${seq}) does not verify over what it states`,
        firstBrokenSeq: null,
      };
  }
}

/** How a checkpoint fares against the walked chain, and what is wrong first, if anything. */
export function checkCheckpoint(
  test: CheckpointUnderTest,
  walk: ChainWalk,
): { check: CheckpointCheckDto; finding: Finding | null } {
  const { seq, hash, recorded_at, key_id } = test.checkpoint;
  const inChain = chainFinding(test, walk);
  return {
    check: {
      seq,
      hash,
      recorded_at,
      key_id,
      signature_valid: test.signature === 'valid',
      in_chain: inChain === null,
    },
    finding: signatureFinding(test) ?? inChain,
  };
}

/**
 * The answer of a verification: the first entry that does not verify, else the first problem of
 * the given checkpoint, else that of the latest stored one. `missingSeq` is a checkpoint asked for
 * by sequence number that is not stored.
 */
export function verificationOf(
  walk: ChainWalk,
  given: CheckpointUnderTest | { missingSeq: string } | null,
  latest: CheckpointUnderTest | null,
): AuditVerificationDto {
  const givenResult = given && 'checkpoint' in given ? checkCheckpoint(given, walk) : null;
  const latestResult = latest ? checkCheckpoint(latest, walk) : null;
  const missing: Finding | null =
    given && 'missingSeq' in given
      ? {
          code: 'CHECKPOINT_NOT_FOUND',
          reason: `no checkpoint of entry ${given.missingSeq} is stored`,
          firstBrokenSeq: null,
        }
      : null;
  const { broken, last } = walk;
  const finding: Finding | null = broken
    ? { code: broken.code, reason: broken.reason, firstBrokenSeq: Number(broken.seq) }
    : (missing ?? givenResult?.finding ?? latestResult?.finding ?? null);
  return {
    ok: finding === null,
    checked: walk.checked,
    first_broken_seq: finding?.firstBrokenSeq ?? null,
    reason: finding?.reason ?? null,
    reason_code: finding?.code ?? null,
    head_seq: broken || last.seq === 0n ? null : Number(last.seq),
    head_hash: last.hash,
    checkpoint: givenResult?.check ?? null,
    latest_checkpoint: latestResult?.check ?? null,
  };
}
