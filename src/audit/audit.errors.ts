import { DomainError } from '../core/errors/domain-error';

/** The chain does not verify, so its head is not signed. */
export class AuditChainBrokenError extends DomainError {
  constructor(seq: bigint, reason: string) {
    super(
      'AUDIT_CHAIN_BROKEN',
      `The audit chain does not verify at entry ${seq} (${reason}); no checkpoint was made.`,
      { extensions: { first_broken_seq: Number(seq) } },
    );
  }
}
