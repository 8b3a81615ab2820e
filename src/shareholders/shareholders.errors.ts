import { DomainError } from '../core/errors/domain-error';

export class ShareholderNotFoundError extends DomainError {
  /** `field`: the request field that named the unknown holder, when one did. */
  constructor(id?: string, named?: { field: string }) {
    super(
      'SHAREHOLDER_NOT_FOUND',
      id ? `Shareholder ${id} does not exist.` : 'No shareholder record is linked to your login.',
      named
        ? { errors: [{ field: named.field, messages: ['is not a holder of this company'] }] }
        : {},
    );
  }
}

export class ShareholderEmailTakenError extends DomainError {
  constructor(email: string) {
    super(
      'SHAREHOLDER_EMAIL_TAKEN',
      `A shareholder with email ${email} already exists (emails are unique regardless of case).`,
    );
  }
}

export class ShareholderUserTakenError extends DomainError {
  constructor() {
    super('SHAREHOLDER_USER_TAKEN', 'Another shareholder is already linked to that user_id.');
  }
}
