import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Principal } from '../core/auth/principal';
import { Database } from '../core/db/database.service';
import type { RequestMeta } from '../core/http/request-meta.decorator';
import type { SecurityEventRecorder } from '../core/security/security-events.port';
import { COMPANY_ACCESS, CompanyAccess } from '../core/tenancy/company-access.port';
import { CompanyContext } from '../core/tenancy/company-context';
import type { EventMap, EventName } from './event-map';
import { OutboxService } from './outbox.service';
import type { EventActor } from './outbox-event.entity';

/**
 * Security events that happen outside any business transaction (logins, denials): each is written
 * to the outbox in a transaction of its own, so it reaches the audit log like every other event.
 * It is recorded in the request's company when one is resolved; else in the caller's own
 * companies (a denied attempt on another company's ids lands in the caller's log, or nowhere when
 * they have none), and a failed login, which has no caller, in the deployment's default company.
 */
@Injectable()
export class SecurityEventsService implements SecurityEventRecorder {
  private readonly logger = new Logger(SecurityEventsService.name);

  constructor(
    private readonly db: Database,
    private readonly outbox: OutboxService,
    @Inject(COMPANY_ACCESS) private readonly access: CompanyAccess,
  ) {}

  async loginSucceeded(principal: Principal, meta: RequestMeta): Promise<void> {
    await this.write(
      principal,
      'auth.login_succeeded',
      'user',
      principal.sub,
      actorOf(principal, meta),
      meta,
      {
        username: principal.username,
        client_id: principal.clientId,
        outcome: 'success',
      },
    );
  }

  async loginFailed(
    username: string,
    clientId: string,
    reason: string,
    meta: RequestMeta,
  ): Promise<void> {
    const actor: EventActor = {
      sub: '',
      name: username,
      client_id: clientId,
      roles: [],
      ip: meta.ip,
      user_agent: meta.userAgent,
    };
    await this.write(undefined, 'auth.login_failed', 'user', username, actor, meta, {
      username,
      client_id: clientId,
      outcome: 'failure',
      reason,
    });
  }

  async accessDenied(
    principal: Principal,
    meta: RequestMeta,
    method: string,
    path: string,
    requiredRoles: string[],
  ): Promise<void> {
    await this.write(
      principal,
      'access.denied',
      'route',
      `${method} ${path}`,
      actorOf(principal, meta),
      meta,
      {
        method,
        path,
        required_roles: requiredRoles,
        roles: principal.roles,
      },
    );
  }

  private async write<
    K extends Extract<EventName, 'auth.login_succeeded' | 'auth.login_failed' | 'access.denied'>,
  >(
    principal: Principal | undefined,
    type: K,
    aggregateType: string,
    aggregateId: string,
    actor: EventActor,
    meta: RequestMeta,
    payload: EventMap[K],
  ): Promise<void> {
    try {
      const current = CompanyContext.current();
      const companies = current ? [current] : await this.access.homeCompanies(principal);
      for (const companyId of companies) {
        await CompanyContext.run(companyId, () =>
          this.db.transaction((tx) =>
            this.outbox.publish(
              tx,
              { type, aggregateType, aggregateId, payload: payload as never },
              { actor, requestId: meta.requestId },
            ),
          ),
        );
      }
    } catch (error) {
      // Losing the audit of a security event must be loud, but must not turn a 401/403 into a 500.
      this.logger.error(
        { err: error, type, requestId: meta.requestId },
        'Could not record a security event',
      );
    }
  }
}

function actorOf(principal: Principal, meta: RequestMeta): EventActor {
  return {
    sub: principal.sub,
    name: principal.actorName,
    client_id: principal.clientId,
    roles: principal.roles,
    ip: meta.ip,
    user_agent: meta.userAgent,
  };
}
