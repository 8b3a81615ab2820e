import { Logger } from '@nestjs/common';
import { generateKeyPairSync, KeyObject, createPublicKey, sign, verify } from 'node:crypto';
import { AppConfigService } from '../core/config/app-config.service';
import { keyIdOf, parseEd25519PublicKeys, publicKeyPem } from '../core/crypto/ed25519-keys';
import { CHECKPOINT_ALGORITHM, checkpointPayload, payloadFields } from './audit-checkpoint-payload';
import type { ChainPosition } from './audit-chain-walk';

/** A checkpoint as it is stored, listed and handed to auditors. */
export interface SignedCheckpoint {
  seq: number;
  hash: string;
  recorded_at: string;
  key_id: string;
  algorithm: typeof CHECKPOINT_ALGORITHM;
  /** Base64 Ed25519 signature of `payload` (its UTF-8 bytes). */
  signature: string;
  /** The exact signed text. */
  payload: string;
  /** The company whose chain it checkpoints (null: made before the deployment had companies). */
  company_id?: string | null;
}

/** What a checkpoint's signature says: made by a known key over what it states, or not. */
export type SignatureCheck = 'valid' | 'unknown-key' | 'invalid';

export interface CheckpointPublicKey {
  key_id: string;
  algorithm: typeof CHECKPOINT_ALGORITHM;
  public_key: string;
  signing: boolean;
}

/** 64 bytes in standard base64, written the one way Buffer writes them. */
const SIGNATURE = /^[A-Za-z0-9+/]{86}==$/;

/**
 * Signs checkpoints with the configured Ed25519 key and checks them against every known public
 * key: the signing key's and the verification-only ones kept after a rotation.
 */
export class CheckpointSigner {
  readonly keyId: string;
  private readonly publicKeys = new Map<string, KeyObject>();

  constructor(
    private readonly signingKey: KeyObject,
    verificationOnly: readonly KeyObject[] = [],
  ) {
    const own = createPublicKey(signingKey);
    this.keyId = keyIdOf(own);
    for (const key of [own, ...verificationOnly]) this.publicKeys.set(keyIdOf(key), key);
  }

  /** The signed checkpoint of the entry at `head` of `companyId`'s chain, made at `recordedAt`. */
  sign(head: ChainPosition, recordedAt: Date, companyId: string): SignedCheckpoint {
    const fields = {
      seq: Number(head.seq),
      hash: head.hash,
      recorded_at: recordedAt.toISOString(),
      key_id: this.keyId,
      company_id: companyId,
    };
    const payload = checkpointPayload(fields);
    const signature = sign(null, Buffer.from(payload, 'utf8'), this.signingKey).toString('base64');
    return {
      ...fields,
      algorithm: CHECKPOINT_ALGORITHM,
      signature,
      payload,
      company_id: companyId,
    };
  }

  /**
   * Whether `checkpoint` is signed by a known key, over a payload that states exactly its seq,
   * hash, time and key id (the fields beside the payload are not signed: they must agree with it).
   */
  check(
    checkpoint: Omit<SignedCheckpoint, 'algorithm' | 'company_id'>,
    companyId?: string,
  ): SignatureCheck {
    const fields = payloadFields(checkpoint.payload);
    if (
      !fields ||
      // A checkpoint of another company's chain vouches for nothing here.
      (companyId !== undefined &&
        fields.company_id !== undefined &&
        fields.company_id !== companyId) ||
      fields.seq !== checkpoint.seq ||
      fields.hash !== checkpoint.hash ||
      fields.recorded_at !== checkpoint.recorded_at ||
      fields.key_id !== checkpoint.key_id
    ) {
      return 'invalid';
    }
    const key = this.publicKeys.get(fields.key_id);
    if (!key) return 'unknown-key';
    if (!SIGNATURE.test(checkpoint.signature)) return 'invalid';
    const signature = Buffer.from(checkpoint.signature, 'base64');
    return verify(null, Buffer.from(checkpoint.payload, 'utf8'), key, signature)
      ? 'valid'
      : 'invalid';
  }

  /** Every key a checkpoint may be verified with, the signing one first. */
  keys(): CheckpointPublicKey[] {
    return [...this.publicKeys].map(([keyId, key]) => ({
      key_id: keyId,
      algorithm: CHECKPOINT_ALGORITHM,
      public_key: publicKeyPem(key),
      signing: keyId === this.keyId,
    }));
  }
}

const logger = new Logger(CheckpointSigner.name);

/** A key for this process only, where no key is configured (never in production). */
function keyForThisRun(config: AppConfigService): KeyObject {
  if (config.isProduction)
    throw new Error(
      'AUDIT_CHECKPOINT_SIGNING_KEY or AUDIT_CHECKPOINT_SIGNING_KEY_FILE is required in production',
    );
  logger.warn(
    'Neither AUDIT_CHECKPOINT_SIGNING_KEY nor AUDIT_CHECKPOINT_SIGNING_KEY_FILE is set: audit checkpoints are signed with a key made for this run, which no one can verify them with once it stops',
  );
  return generateKeyPairSync('ed25519').privateKey;
}

export const checkpointSignerProvider = {
  provide: CheckpointSigner,
  inject: [AppConfigService],
  useFactory: (config: AppConfigService): CheckpointSigner => {
    const signingKey = config.get('auditCheckpointSigningKey') ?? keyForThisRun(config);
    const verificationOnly = parseEd25519PublicKeys(
      config.get('AUDIT_CHECKPOINT_PUBLIC_KEYS') ?? '',
    );
    return new CheckpointSigner(signingKey, verificationOnly);
  },
};
