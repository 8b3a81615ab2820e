import { DomainError } from '../core/errors/domain-error';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** Refuses an Idempotency-Key header that is not 1 to 255 visible ASCII characters. */
export function checkIdempotencyKey(key: string | undefined): void {
  if (key === undefined || IDEMPOTENCY_KEY.test(key)) return;
  throw new DomainError(
    'VALIDATION_FAILED',
    'The Idempotency-Key header must be 1 to 255 visible ASCII characters.',
    {
      errors: [
        { field: 'Idempotency-Key', messages: ['must be 1 to 255 visible ASCII characters'] },
      ],
    },
  );
}

/** The Idempotency-Key header of the ledger's write routes, as OpenAPI describes it. */
export const IDEMPOTENCY_HEADER = {
  name: 'Idempotency-Key',
  required: false,
  description: 'Up to 255 visible ASCII characters; a retry with it replays the first answer.',
};
