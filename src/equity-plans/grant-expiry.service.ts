import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Database } from '../core/db/database.service';
import { todayUtc } from '../core/http/validators';
import { CompanyContext } from '../core/tenancy/company-context';
import type { EventActor, EventOrigin } from '../events';
import type { GrantTransactionResultDto } from './dto/grant-transaction.dto';
import type { EquityGrant } from './equity-grant.entity';
import { GrantRecorder, NO_DETAILS } from './grant-recorder';
import { dueExpiration } from './grant-vesting';
import { toGrantResponse } from './grant-views';
import { GrantFilter, GrantsRepository } from './persistence/grants.repository';
import { StockPlansRepository } from './persistence/stock-plans.repository';
import type { StockPlan } from './stock-plan.entity';

/** Who records an expiration: nobody asked for it, the calendar did. */
const EXPIRY_ACTOR: EventActor = {
  sub: 'system:grant-expiry',
  name: 'grant expiry',
  client_id: 'corporate-os',
  roles: [],
};

/** The expiry's origin: the system, through the request that found it due (if any). */
export function expiryOrigin(requestId: string | null = null): EventOrigin {
  return { actor: EXPIRY_ACTOR, requestId };
}

/**
 * Expirations made real: once a grant's exercise window has closed (its expiration date, or its
 * termination plus the window), what is left of it is recorded as an EXPIRATION transaction dated
 * the day after the window's last day, given back to the pool or retired per the plan's
 * cancellation behaviour, with its event (the audit log reads it from the outbox). Recorded by
 * the sweep (GrantExpiryScheduler) and by any read or write of the grant that finds it due,
 * whichever comes first, and exactly once: under the plan's and the grant's row locks (taken in
 * that order, as every grant write does), re-checked once they are held, and backed by
 * `uq_equity_grant_transaction_expiration`. The figures do not wait for it: they count an
 * expired grant as expired either way (grant-positions.sql.ts).
 */
@Injectable()
export class GrantExpiryService {
  private readonly logger = new Logger(GrantExpiryService.name);

  constructor(
    private readonly db: Database,
    private readonly repository: GrantsRepository,
    private readonly plans: StockPlansRepository,
    private readonly recorder: GrantRecorder,
  ) {}

  /**
   * Records the grant's expiration if it is due, in a transaction of its own (so that it stays
   * recorded whatever the caller does next); answers whether this call recorded it.
   */
  async settle(grant: EquityGrant, requestId: string | null = null): Promise<boolean> {
    if (this.replaying() || !dueExpiration(grant, todayUtc())) return false;
    return this.lockAndExpire(grant.id, grant.stockPlanId, requestId);
  }

  /** Every due grant of the current company (of a plan or a holder, when given); answers how many. */
  async settleDue(filter: GrantFilter = {}, requestId: string | null = null): Promise<number> {
    if (this.replaying()) return 0;
    let recorded = 0;
    for (const due of await this.repository.expiryDue(todayUtc(), filter))
      if (await this.lockAndExpire(due.id, due.stockPlanId, requestId)) recorded += 1;
    return recorded;
  }

  /** The sweep's round: every company with due grants, each for itself; answers how many. */
  async sweep(): Promise<number> {
    let recorded = 0;
    for (const companyId of await this.repository.companiesWithExpiryDue(todayUtc())) {
      try {
        recorded += await CompanyContext.run(companyId, () => this.settleDue());
      } catch (error) {
        this.logger.error({ err: error, companyId }, 'Grant expiry failed for a company');
      }
    }
    return recorded;
  }

  /**
   * With the grant (as locked) and its plan locked in `tx`: records its expiration if it is due.
   * Answers the EXPIRATION and the grant after it, or null when nothing was due.
   */
  async expireIfDue(
    tx: EntityManager,
    grant: EquityGrant,
    plan: StockPlan | null,
    origin: EventOrigin,
  ): Promise<GrantTransactionResultDto | null> {
    const due = this.replaying() ? null : dueExpiration(grant, todayUtc());
    if (!due || !(await this.repository.expire(tx, grant.id, due.date, due.quantity))) return null;
    const returned = await this.recorder.giveBack(tx, plan, due.quantity);
    return this.recorder.record(
      tx,
      toGrantResponse(grant),
      {
        ...NO_DETAILS,
        kind: 'EXPIRATION',
        date: due.date,
        quantity: due.quantity.toString(),
        reason: 'expired',
        returnedToPool: returned.toString(),
      },
      origin,
    );
  }

  /**
   * Inside a unit of work (an OCF import) a grant's history is replayed as it happened, its
   * exercises dated inside its window: the grants it writes expire once it is done (the sweep,
   * or the next read or write of each), not while their history is still being written.
   */
  replaying(): boolean {
    return this.db.inUnitOfWork();
  }

  private lockAndExpire(
    id: string,
    planId: string | null,
    requestId: string | null,
  ): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const plan = planId ? await this.plans.find(tx, planId, true) : null;
      const grant = await this.repository.find(tx, id, true);
      if ((planId && !plan) || !grant) throw new Error(`grant ${id} or its plan vanished`);
      return (await this.expireIfDue(tx, grant, plan, expiryOrigin(requestId))) !== null;
    });
  }
}
