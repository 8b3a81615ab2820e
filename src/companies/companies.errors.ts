import { ForbiddenError } from '../core/auth/auth.errors';
import { DomainError } from '../core/errors/domain-error';

/** The answer for a company the caller may not see: the same as for one that does not exist. */
export class CompanyNotFoundError extends DomainError {
  constructor() {
    super('COMPANY_NOT_FOUND', 'No company with this id exists for you.');
  }
}

export class CompanyIdMalformedError extends DomainError {
  constructor() {
    super('VALIDATION_FAILED', 'company_id must be a UUID.', {
      errors: [{ field: 'company_id', messages: ['company_id must be a UUID'] }],
    });
  }
}

/** An unscoped route called by a member of several companies. */
export class CompanyRequiredError extends DomainError {
  constructor(companyIds: string[]) {
    super(
      'COMPANY_REQUIRED',
      'You are a member of several companies: call this route under /api/companies/{company_id}/ with one of company_ids.',
      {
        errors: [{ field: 'company_id', messages: ['company_id is required'] }],
        extensions: { company_ids: companyIds },
      },
    );
  }
}

export class NoCompanyError extends ForbiddenError {
  constructor() {
    super('You are not a member of any company.');
  }
}

export class MembershipEndedError extends ForbiddenError {
  constructor(endedAt: Date) {
    super(`Your membership of this company ended at ${endedAt.toISOString()}.`);
  }
}

export class MemberNotFoundError extends DomainError {
  constructor(id: string) {
    super('MEMBER_NOT_FOUND', `Member ${id} does not exist in this company.`);
  }
}

export class MemberTakenError extends DomainError {
  constructor() {
    super(
      'MEMBER_TAKEN',
      'This user, service account or invited email is a member of the company already.',
    );
  }
}

export class LastAdminError extends DomainError {
  constructor() {
    super(
      'LAST_ADMIN',
      'This is the company’s last admin: add another admin before removing or demoting this one.',
    );
  }
}
