import { DomainError } from '../core/errors/domain-error';

export class ShareClassNotFoundError extends DomainError {
  /** `field`: the request field that named the unknown class, when one did. */
  constructor(id: string, field?: string) {
    super(
      'SHARE_CLASS_NOT_FOUND',
      `Share class ${id} does not exist.`,
      field ? { errors: [{ field, messages: ['is not a share class of this company'] }] } : {},
    );
  }
}

export class IssuanceNotFoundError extends DomainError {
  constructor(id: string) {
    super('ISSUANCE_NOT_FOUND', `Issuance ${id} does not exist.`);
  }
}

export class AuthorizedSharesExceededError extends DomainError {
  constructor(
    className: string,
    figures: { authorized: number; issued: number; requested: number },
  ) {
    const available = figures.authorized - figures.issued;
    super(
      'AUTHORIZED_SHARES_EXCEEDED',
      `Issuing ${figures.requested} shares of ${className} would exceed its ${figures.authorized} authorized shares: ${figures.issued} are issued, ${available} remain.`,
      {
        extensions: {
          authorized_shares: figures.authorized,
          issued_shares: figures.issued,
          requested_shares: figures.requested,
          available_shares: available,
        },
      },
    );
  }
}

export class AuthorizedBelowIssuedError extends DomainError {
  constructor(className: string, issued: number, requested: number) {
    super(
      'AUTHORIZED_BELOW_ISSUED',
      `${className} already has ${issued} shares issued; authorized shares cannot be lowered to ${requested}.`,
      { extensions: { issued_shares: issued, requested_authorized_shares: requested } },
    );
  }
}

export class CommonClassMissingError extends DomainError {
  constructor() {
    super(
      'COMMON_CLASS_MISSING',
      'No COMMON share class exists to default to: create one or pass share_class_id.',
    );
  }
}

export class CompanyNotConfiguredError extends DomainError {
  constructor(detail = 'The company is not set up yet: PUT /api/company first.') {
    super('COMPANY_NOT_CONFIGURED', detail);
  }
}

export class ShareClassNameTakenError extends DomainError {
  constructor(name: string) {
    super('SHARE_CLASS_NAME_TAKEN', `A share class named ${name} already exists.`);
  }
}

export class ShareClassPrefixTakenError extends DomainError {
  constructor(prefix: string) {
    super(
      'SHARE_CLASS_PREFIX_TAKEN',
      `Certificate prefix ${prefix} is already used by another share class.`,
    );
  }
}

export class IdempotencyKeyReusedError extends DomainError {
  constructor() {
    super(
      'IDEMPOTENCY_KEY_REUSED',
      'This Idempotency-Key was already used with a different request body.',
    );
  }
}

export class TransactionNotFoundError extends DomainError {
  constructor(id: string) {
    super('TRANSACTION_NOT_FOUND', `Ledger transaction ${id} does not exist.`);
  }
}

export class SecurityAlreadySpentError extends DomainError {
  constructor(securityId: string, status: string, transactionId: string) {
    super(
      'SECURITY_ALREADY_SPENT',
      `Security ${securityId} is ${status}: transaction ${transactionId} spent it. Act on the securities that came from it.`,
      {
        extensions: {
          security_id: securityId,
          security_status: status,
          spent_by_transaction_id: transactionId,
        },
      },
    );
  }
}

export class QuantityExceedsSecurityError extends DomainError {
  constructor(field: string, requested: bigint, held: bigint) {
    super(
      'QUANTITY_EXCEEDS_SECURITY',
      `${requested} shares asked for, but the security holds ${held}.`,
      {
        errors: [{ field, messages: [`must total at most the security's ${held} shares`] }],
        extensions: { requested_shares: Number(requested), security_shares: Number(held) },
      },
    );
  }
}

export class TransactionDateInvalidError extends DomainError {
  constructor(message: string) {
    super('TRANSACTION_DATE_INVALID', `date ${message}.`, {
      errors: [{ field: 'date', messages: [message] }],
    });
  }
}

export class ConversionNotDefinedError extends DomainError {
  constructor(className: string, target: string) {
    super(
      'CONVERSION_NOT_DEFINED',
      `${className} does not convert into share class ${target}: set its converts_to_share_class_id first.`,
      {
        errors: [
          { field: 'to_share_class_id', messages: ['is not the class this class converts into'] },
        ],
      },
    );
  }
}

export class FractionPriceRequiredError extends DomainError {
  constructor(fraction: string) {
    super(
      'VALIDATION_FAILED',
      `The conversion leaves ${fraction} of a share, which is paid out in cash: give fraction_price_per_share.`,
      {
        errors: [
          {
            field: 'fraction_price_per_share',
            messages: ['is required when a fraction of a share is left'],
          },
        ],
      },
    );
  }
}

export class TransactionNotReversibleError extends DomainError {
  constructor(id: string, why: string) {
    super('TRANSACTION_NOT_REVERSIBLE', `Transaction ${id} cannot be reversed: ${why}`, {
      extensions: { transaction_id: id },
    });
  }
}

export class TransactionAlreadyReversedError extends DomainError {
  constructor(id: string, reversalId: string) {
    super(
      'TRANSACTION_ALREADY_REVERSED',
      `Transaction ${id} was reversed already, by ${reversalId}.`,
      { extensions: { transaction_id: id, reversed_by_transaction_id: reversalId } },
    );
  }
}

export class LaterTransactionExistsError extends DomainError {
  constructor(id: string, securityId: string, laterId: string) {
    super(
      'LATER_TRANSACTION_EXISTS',
      `Transaction ${id} cannot be reversed: its security ${securityId} was spent since, by transaction ${laterId}. Reverse that one first.`,
      {
        extensions: {
          transaction_id: id,
          security_id: securityId,
          later_transaction_id: laterId,
        },
      },
    );
  }
}
