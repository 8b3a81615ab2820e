import { canonicalJson } from './audit-chain';

export const CHECKPOINT_ALGORITHM = 'Ed25519';
/** Names what a payload is, so that no other signed text of this key can pass for a checkpoint. */
export const CHECKPOINT_TYPE = 'corporate-os.audit-checkpoint.v1';
/** A checkpoint of one company's chain: the same, naming the company. */
export const COMPANY_CHECKPOINT_TYPE = 'corporate-os.audit-checkpoint.v2';

/**
 * What a checkpoint states: entry `seq` of company `company_id`'s chain had hash `hash` at
 * `recorded_at`. Checkpoints made before the deployment kept several companies name none (v1).
 */
export interface CheckpointFields {
  seq: number;
  hash: string;
  recorded_at: string;
  key_id: string;
  company_id?: string;
}

const HASH = /^[0-9a-f]{64}$/;
const KEY_ID = /^[0-9a-f]{16}$/;
const ISO_MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * The exact text that is signed: canonical JSON (keys sorted, no white space, UTF-8) of the
 * checkpoint's fields with its type and algorithm, e.g.
 * `{"algorithm":"Ed25519","hash":"…","key_id":"…","recorded_at":"…","seq":42,"type":"…"}`.
 */
export function checkpointPayload(fields: CheckpointFields): string {
  const common = {
    algorithm: CHECKPOINT_ALGORITHM,
    hash: fields.hash,
    key_id: fields.key_id,
    recorded_at: fields.recorded_at,
    seq: fields.seq,
  };
  return fields.company_id === undefined
    ? canonicalJson({ ...common, type: CHECKPOINT_TYPE })
    : canonicalJson({ ...common, company_id: fields.company_id, type: COMPANY_CHECKPOINT_TYPE });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function fieldsOf(value: unknown): CheckpointFields | null {
  if (typeof value !== 'object' || value === null) return null;
  const { seq, hash, recorded_at, key_id, company_id } = value as Record<string, unknown>;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) return null;
  if (typeof hash !== 'string' || !HASH.test(hash)) return null;
  if (typeof key_id !== 'string' || !KEY_ID.test(key_id)) return null;
  if (typeof recorded_at !== 'string' || !ISO_MILLIS.test(recorded_at)) return null;
  if (company_id === undefined) return { seq, hash, recorded_at, key_id };
  if (typeof company_id !== 'string' || !UUID.test(company_id)) return null;
  return { seq, hash, recorded_at, key_id, company_id };
}

/**
 * The fields a payload states, or null when the text is not a checkpoint payload exactly as
 * checkpointPayload writes it (same fields, same type and algorithm, canonical form).
 */
export function payloadFields(payload: string): CheckpointFields | null {
  let fields: CheckpointFields | null;
  try {
    fields = fieldsOf(JSON.parse(payload));
  } catch {
    return null;
  }
  return fields && checkpointPayload(fields) === payload ? fields : null;
}
