import { DomainError } from '../core/errors/domain-error';
import { CheckpointFields, payloadFields } from './audit-checkpoint-payload';

/** A checkpoint an auditor saved (the JSON the API listed), as read from the request. */
export interface SavedCheckpoint extends CheckpointFields {
  signature: string;
  payload: string;
  /** Whether the fields written beside the payload, where present, are the payload's own. */
  consistent: boolean;
}

/** What `?checkpoint=` names: a stored checkpoint by sequence number, or a saved one. */
export type CheckpointReference = { seq: string } | { saved: SavedCheckpoint };

const SEQ = /^[1-9]\d{0,15}$/;

function invalid(message: string): DomainError {
  return new DomainError('VALIDATION_FAILED', `checkpoint ${message}.`, {
    errors: [{ field: 'checkpoint', messages: [message] }],
  });
}

function savedCheckpointOf(value: unknown): SavedCheckpoint {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid('is not the base64 of a checkpoint (a JSON object)');
  }
  const saved = value as Record<string, unknown>;
  const { payload, signature } = saved;
  if (typeof payload !== 'string' || typeof signature !== 'string') {
    throw invalid('has no payload and signature (strings)');
  }
  const fields = payloadFields(payload);
  if (!fields) throw invalid('has a payload that is not a checkpoint payload');
  const consistent = (['seq', 'hash', 'recorded_at', 'key_id'] as const).every(
    (name) => !(name in saved) || saved[name] === fields[name],
  );
  return { ...fields, signature, payload, consistent };
}

/**
 * Reads `?checkpoint=`: a sequence number, or the base64 (standard or URL-safe; a `+` that the
 * query string turned into a space is taken back) of a checkpoint's JSON. Anything else is a
 * validation failure naming the field.
 */
export function checkpointReferenceOf(value: string): CheckpointReference {
  if (/^\d+$/.test(value)) {
    if (!SEQ.test(value) || !Number.isSafeInteger(Number(value))) {
      throw invalid('is not a sequence number of the chain');
    }
    return { seq: value };
  }
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(value.replace(/ /g, '+'), 'base64').toString('utf8'));
  } catch {
    throw invalid('is neither a sequence number nor the base64 of a checkpoint (JSON)');
  }
  return { saved: savedCheckpointOf(decoded) };
}
