import { DomainError } from '../errors/domain-error';

const BEARER_CHALLENGE = (description: string): Record<string, string> => ({
  'www-authenticate': `Bearer realm="corporate-os", error="invalid_token", error_description="${description.replace(/"/g, "'")}"`,
});

export class AuthenticationRequiredError extends DomainError {
  constructor(detail = 'A valid bearer access token is required in the Authorization header.') {
    super('AUTHENTICATION_REQUIRED', detail, { headers: BEARER_CHALLENGE(detail) });
  }
}

export class ForbiddenError extends DomainError {
  constructor(
    detail = 'Your roles do not allow this action.',
    /** The roles the route wanted (empty for row-level denials); recorded, not shown. */
    readonly requiredRoles: string[] = [],
  ) {
    super('FORBIDDEN', detail);
  }
}

export class SigningKeysUnavailableError extends DomainError {
  constructor(cause?: unknown) {
    super(
      'SIGNING_KEYS_UNAVAILABLE',
      'The identity provider signing keys cannot be fetched right now, so tokens cannot be checked. Try again shortly.',
      { headers: { 'retry-after': '5' }, cause },
    );
  }
}

export class IdentityProviderUnavailableError extends DomainError {
  constructor(cause?: unknown) {
    super(
      'IDENTITY_PROVIDER_UNAVAILABLE',
      'The identity provider cannot be reached. Try again shortly.',
      {
        headers: { 'retry-after': '5' },
        cause,
      },
    );
  }
}

/** A token whose key id is not among the issuer's keys, or whose header is unacceptable. */
export class UntrustedTokenError extends Error {}
