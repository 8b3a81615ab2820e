/**
 * What the dataset's audit log says happened: the company's and share classes' creation first,
 * then every category of entry spread evenly over the 5 years (the issuances and holders of the
 * ledger in their order, logins, failed logins, denied requests, and holder updates for the rest).
 */
import type { EventActor } from '../../src/events';
import { isoDate, Rng, USER_AGENTS } from './dataset-common';
import type { Ledger, Writers } from './dataset-ledger';

export interface AuditEvent {
  actor: EventActor;
  action: string;
  entityType: string;
  entityId: string | null;
  before: object | null;
  after: object | null;
  outcome: string;
}

type Kind = 'issuance' | 'holder' | 'login_ok' | 'login_failed' | 'denied' | 'holder_updated';

export type AuditActors = Writers & { auditor: EventActor };

/** The events in seq order: `eventAt(seq)` for seq 1, 2, 3, … */
export class AuditEvents {
  private readonly fixed: number;
  private readonly categories: Array<{ kind: Kind; count: number }>;
  private readonly assigned: number[];
  private readonly holderLogins: EventActor[];
  private nextIssuance = 0;
  private nextHolder = 0;

  constructor(
    private readonly rng: Rng,
    private readonly ledger: Ledger,
    private readonly actors: AuditActors,
    private readonly total: number,
  ) {
    this.holderLogins = [
      actors.shareholder1,
      ...Array.from({ length: 200 }, (_, i) => ({
        sub: rng.uuid(),
        name: `holder${String(i + 1).padStart(5, '0')}`,
        client_id: 'corporate-os-cli',
        roles: ['shareholder'],
      })),
    ];
    this.fixed = 1 + ledger.classes.length; // company.updated + share_class.created
    this.categories = this.categoriesOf();
    this.assigned = this.categories.map(() => 0);
  }

  private categoriesOf(): Array<{ kind: Kind; count: number }> {
    const { issuances, holders } = this.ledger;
    const rest = this.total - this.fixed - issuances.length - holders.length;
    if (rest < 0) throw new Error('auditEntries must exceed issuances + holders + 4');
    const categories: Array<{ kind: Kind; count: number }> = [
      { kind: 'issuance', count: issuances.length },
      { kind: 'holder', count: holders.length },
      { kind: 'login_ok', count: Math.floor(rest * 0.6) },
      { kind: 'login_failed', count: Math.floor(rest * 0.15) },
      { kind: 'denied', count: Math.floor(rest * 0.15) },
      { kind: 'holder_updated', count: 0 },
    ];
    const last = categories[categories.length - 1] as { count: number };
    last.count = this.total - this.fixed - categories.reduce((acc, c) => acc + c.count, 0);
    return categories;
  }

  private pickFrom<T>(items: readonly T[]): T {
    return items[Math.floor(this.rng.random() * items.length)];
  }

  private withMeta(actor: EventActor): EventActor {
    const { random } = this.rng;
    return {
      ...actor,
      ip: `10.${Math.floor(random() * 255)}.${Math.floor(random() * 255)}.${1 + Math.floor(random() * 250)}`,
      user_agent: this.pickFrom(USER_AGENTS),
    };
  }

  /** company.updated, then one share_class.created per class. */
  private fixedEvent(seq: number): AuditEvent {
    const { ledger } = this;
    const event = { before: null, outcome: 'success' };
    if (seq === 1) {
      const after = {
        legal_name: ledger.companyName,
        country: 'CH',
        formation_date: isoDate(ledger.formation),
        default_currency: 'CHF',
      };
      const actor = this.withMeta(this.actors.admin);
      return {
        ...event,
        actor,
        action: 'company.updated',
        entityType: 'company',
        entityId: null,
        after,
      };
    }
    const c = ledger.classes[seq - 2];
    const actor = this.withMeta(this.actors.admin);
    const after = {
      id: c.id,
      name: c.name,
      type: c.type,
      authorized_shares: Number(ledger.authorized),
      par_value: c.parValue,
      votes_per_share: c.votes,
      certificate_prefix: c.prefix,
      seniority: c.seniority,
      legend_text: null,
    };
    return {
      ...event,
      actor,
      action: 'share_class.created',
      entityType: 'share_class',
      entityId: c.id,
      after,
    };
  }

  /** Spreads every category evenly over time: the one furthest behind its share comes next. */
  private nextKind(seq: number): Kind {
    const k = seq - this.fixed;
    const spread = this.total - this.fixed;
    let chosen = 0;
    let deficit = -Infinity;
    this.categories.forEach((c, i) => {
      const d = (k * c.count) / spread - this.assigned[i];
      if (d > deficit) {
        deficit = d;
        chosen = i;
      }
    });
    this.assigned[chosen] = this.assigned[chosen] + 1;
    return (this.categories[chosen] as { kind: Kind }).kind;
  }

  private issuanceEvent(): AuditEvent {
    const { holders, classes, issuances } = this.ledger;
    const row = issuances[this.nextIssuance++];
    const actor = this.withMeta(row.byInternalTool ? this.actors.internalTool : this.actors.admin);
    const after = {
      id: row.id,
      shareholder_id: (holders[row.holder] as { id: string }).id,
      share_class_id: classes[row.shareClass].id,
      number_of_shares: row.shares,
      price: row.price,
      total_amount: row.total,
      currency: 'CHF',
      date: row.date,
    };
    return {
      actor,
      action: 'issuance.created',
      entityType: 'issuance',
      entityId: row.id,
      before: null,
      after,
      outcome: 'success',
    };
  }

  private holderEvent(kind: 'holder' | 'holder_updated'): AuditEvent {
    const { holders } = this.ledger;
    const h = kind === 'holder' ? holders[this.nextHolder++] : this.pickFrom(holders);
    const actor = this.withMeta(this.actors.admin);
    const snapshot = {
      id: h.id,
      name: h.name,
      email: h.email,
      type: h.type,
      user_id: null,
      version: 1,
      phone: null,
      address: null,
      tax_id: null,
    };
    const event = { actor, entityType: 'shareholder', entityId: h.id, outcome: 'success' };
    if (kind === 'holder') {
      return { ...event, action: 'shareholder.created', before: null, after: snapshot };
    }
    const after = { ...snapshot, name: `${h.name} (updated)`, version: 2 };
    return { ...event, action: 'shareholder.updated', before: snapshot, after };
  }

  private loginEvent(): AuditEvent {
    const who = this.rng.random();
    const { admin, auditor } = this.actors;
    const base = who < 0.2 ? admin : who < 0.35 ? auditor : this.pickFrom(this.holderLogins);
    const actor = this.withMeta(base);
    const after = { username: base.name, client_id: base.client_id, outcome: 'success' };
    return {
      actor,
      action: 'auth.login_succeeded',
      entityType: 'user',
      entityId: base.sub,
      before: null,
      after,
      outcome: 'success',
    };
  }

  private failedLoginEvent(): AuditEvent {
    const username = this.pickFrom(this.holderLogins).name;
    const actor = this.withMeta({
      sub: '',
      name: username,
      client_id: 'corporate-os-cli',
      roles: [],
    });
    const after = {
      username,
      client_id: 'corporate-os-cli',
      outcome: 'failure',
      reason: 'invalid_grant',
    };
    return {
      actor,
      action: 'auth.login_failed',
      entityType: 'user',
      entityId: username,
      before: null,
      after,
      outcome: 'failure',
    };
  }

  private deniedEvent(): AuditEvent {
    const base = this.pickFrom(this.holderLogins);
    const actor = this.withMeta(base);
    const after = {
      method: 'GET',
      path: '/api/shareholders/',
      required_roles: ['admin'],
      roles: base.roles,
    };
    return {
      actor,
      action: 'access.denied',
      entityType: 'route',
      entityId: 'GET /api/shareholders/',
      before: null,
      after,
      outcome: 'denied',
    };
  }

  eventAt(seq: number): AuditEvent {
    if (seq <= this.fixed) return this.fixedEvent(seq);
    const kind = this.nextKind(seq);
    if (kind === 'issuance') return this.issuanceEvent();
    if (kind === 'holder' || kind === 'holder_updated') return this.holderEvent(kind);
    if (kind === 'login_ok') return this.loginEvent();
    if (kind === 'login_failed') return this.failedLoginEvent();
    return this.deniedEvent();
  }
}
