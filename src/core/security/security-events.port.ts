import type { Principal } from '../auth/principal';
import type { RequestMeta } from '../http/request-meta.decorator';

/**
 * What core reports about security (logins, denied access). Core declares the port; the events
 * module provides it (writing each report to the outbox, so it reaches the audit log), which keeps
 * core free of any feature module.
 */
export interface SecurityEventRecorder {
  loginSucceeded(principal: Principal, meta: RequestMeta): Promise<void>;
  loginFailed(username: string, clientId: string, reason: string, meta: RequestMeta): Promise<void>;
  accessDenied(
    principal: Principal,
    meta: RequestMeta,
    method: string,
    path: string,
    requiredRoles: string[],
  ): Promise<void>;
}

/** The injection token of the SecurityEventRecorder. */
export const SECURITY_EVENTS = Symbol('SecurityEventRecorder');
