import { Injectable } from '@nestjs/common';
import { CertificateRenderWorker } from '../../src/certificates/certificate-render.worker';
import { DeliveredEvent, OnOutboxEvent, OutboxRelay } from '../../src/events';
import {
  Api,
  givenCompany,
  givenIssuance,
  givenShareClass,
  givenShareholder,
  unique,
} from '../support/api';
import { startApp, TestApp } from '../support/app';
import { startChildApp } from '../support/child-app';
import { closeDb, count, db } from '../support/db';
import { tokenFor } from '../support/keycloak';
import { eventually } from '../support/wait';

/** Fails the first `failuresLeft` deliveries of share classes whose name starts with "flaky". */
@Injectable()
class FlakyListener {
  static failuresLeft = 0;
  static alwaysFail = false;
  static calls: string[] = [];

  @OnOutboxEvent('share_class.created')
  handle(event: DeliveredEvent<'share_class.created'>): void {
    if (!event.payload.after.name.startsWith('flaky')) return;
    FlakyListener.calls.push(event.id);
    if (FlakyListener.alwaysFail || FlakyListener.failuresLeft-- > 0)
      throw new Error('listener is down');
  }
}

/** Counts deliveries per event across app instances. */
@Injectable()
class CountingListener {
  static seen = new Map<string, number>();

  @OnOutboxEvent('shareholder.created')
  handle(event: DeliveredEvent<'shareholder.created'>): void {
    if (!event.payload.after.name.startsWith('pair')) return;
    CountingListener.seen.set(event.id, (CountingListener.seen.get(event.id) ?? 0) + 1);
  }
}

/** Takes longer than the lease over events of holders named "slow-…", counting each delivery. */
@Injectable()
class SlowListener {
  static calls = new Map<string, number>();

  @OnOutboxEvent('shareholder.created')
  async handle(event: DeliveredEvent<'shareholder.created'>): Promise<void> {
    if (!event.payload.after.name.startsWith('slow-')) return;
    SlowListener.calls.set(event.id, (SlowListener.calls.get(event.id) ?? 0) + 1);
    // Part of the scenario, not a wait: a delivery that outlasts the 1 s lease.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
  }
}

/** Records the order in which renames of "order-…" holders arrive, slowly, per holder. */
@Injectable()
class OrderListener {
  static seen = new Map<string, string[]>();
  static inFlight = 0;
  static maxInFlight = 0;

  @OnOutboxEvent('shareholder.updated')
  async handle(event: DeliveredEvent<'shareholder.updated'>): Promise<void> {
    const name = event.payload.after.name;
    if (!name.startsWith('order-')) return;
    OrderListener.inFlight += 1;
    OrderListener.maxInFlight = Math.max(OrderListener.maxInFlight, OrderListener.inFlight);
    // Part of the scenario, not a wait: a random handling time lets deliveries of different
    // holders overlap and finish out of order, which per-holder order must survive.
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 10));
    OrderListener.inFlight -= 1;
    OrderListener.seen.set(event.aggregateId, [
      ...(OrderListener.seen.get(event.aggregateId) ?? []),
      name,
    ]);
  }
}

/** A background loop's rounds (calls of its work method, answering how much it claimed). */
interface Rounds {
  started: number;
  finished: number;
  inFlight: number;
  lastClaimed?: number;
}

/** Counts the rounds of `owner`'s loop from now on; the loop looks `method` up on every round. */
function followRounds<T extends Record<M, () => Promise<number>>, M extends string>(
  owner: T,
  method: M,
): Rounds {
  const rounds: Rounds = { started: 0, finished: 0, inFlight: 0 };
  const work = owner[method].bind(owner);
  const counted = async (): Promise<number> => {
    rounds.started += 1;
    rounds.inFlight += 1;
    try {
      rounds.lastClaimed = await work();
      return rounds.lastClaimed;
    } finally {
      rounds.inFlight -= 1;
      rounds.finished += 1;
    }
  };
  owner[method] = counted as T[M];
  return rounds;
}

const lastPosition = async () =>
  (
    await db().query<{ p: string }>(
      'SELECT coalesce(max(position), 0)::text AS p FROM outbox_event',
    )
  ).rows[0]?.p ?? '0';

const fastRetries = { OUTBOX_RETRY_BASE_MS: 50, OUTBOX_POLL_INTERVAL_MS: 50 };

const outboxRow = (aggregateId: string) =>
  db()
    .query(
      'SELECT id, attempts, delivered_at, dead_lettered_at, last_error FROM outbox_event WHERE aggregate_id = $1',
      [aggregateId],
    )
    .then(
      (r) =>
        r.rows[0] as {
          id: string;
          attempts: number;
          delivered_at: Date | null;
          dead_lettered_at: Date | null;
          last_error: string | null;
        },
    );

describe('outbox relay', () => {
  afterAll(() => closeDb());

  it('retries a listener that fails three times, then marks the event delivered and audits it once', async () => {
    FlakyListener.failuresLeft = 3;
    FlakyListener.alwaysFail = false;
    FlakyListener.calls = [];
    const app = await startApp({ ...fastRetries, OUTBOX_MAX_ATTEMPTS: 5 }, undefined, undefined, [
      FlakyListener,
    ]);
    try {
      const api = new Api(app);
      const shareClass = await givenShareClass(api, { name: unique('flaky') });
      const row = await eventually(async () => {
        const current = await outboxRow(shareClass.id);
        return current.delivered_at ? current : undefined;
      });
      expect(row.attempts).toBe(4);
      expect(FlakyListener.calls).toHaveLength(4);
      expect(await count('SELECT 1 FROM audit_entry WHERE source_event_id = $1', [row.id])).toBe(1);
    } finally {
      await app.close();
    }
  });

  it('dead-letters a listener that always fails, shows it to admins, and delivers it on retry', async () => {
    FlakyListener.alwaysFail = true;
    FlakyListener.calls = [];
    const app = await startApp({ ...fastRetries, OUTBOX_MAX_ATTEMPTS: 3 }, undefined, undefined, [
      FlakyListener,
    ]);
    try {
      const api = new Api(app);
      const shareClass = await givenShareClass(api, { name: unique('flaky-forever') });
      const row = await eventually(async () => {
        const current = await outboxRow(shareClass.id);
        return current.dead_lettered_at ? current : undefined;
      });
      expect(row).toMatchObject({
        attempts: 3,
        delivered_at: null,
        last_error: 'Error: listener is down',
      });
      const listed = await api.get('/api/events/dead-letters');
      expect(listed.status).toBe(200);
      expect(listed.body).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ id: row.id, type: 'share_class.created', attempts: 3 }),
        ]),
      );
      expect((await api.get('/api/events/dead-letters', 'auditor')).status).toBe(403);

      FlakyListener.alwaysFail = false;
      const retried = await api.post(`/api/events/dead-letters/${row.id}/retry`, {});
      expect(retried.status).toBe(202);
      await eventually(async () =>
        (await outboxRow(shareClass.id)).delivered_at ? true : undefined,
      );
      expect(
        (await api.get('/api/events/dead-letters')).body.map((d: { id: string }) => d.id),
      ).not.toContain(row.id);
      expect((await api.post(`/api/events/dead-letters/${row.id}/retry`, {})).status).toBe(404);
    } finally {
      await app.close();
    }
  });

  it("delivers one aggregate's events in order while other aggregates' go concurrently", async () => {
    OrderListener.seen = new Map();
    OrderListener.maxInFlight = 0;
    // The changes are made with the relay off, so one batch holds them all.
    const writer = await startApp({ OUTBOX_RELAY_ENABLED: false });
    const holders: string[] = [];
    try {
      const api = new Api(writer);
      await givenCompany(api);
      for (let h = 0; h < 4; h++) holders.push((await givenShareholder(api)).id);
      for (let step = 1; step <= 5; step++) {
        for (const id of holders) {
          const renamed = await api.patch(`/api/shareholders/${id}`, {
            name: `order-${id.slice(0, 8)}-${step}`,
          });
          expect(renamed.status).toBe(200);
        }
      }
    } finally {
      await writer.close();
    }
    const relay = await startApp(
      { OUTBOX_POLL_INTERVAL_MS: 20, OUTBOX_BATCH_SIZE: 100, OUTBOX_DELIVERY_CONCURRENCY: 4 },
      undefined,
      undefined,
      [OrderListener],
    );
    try {
      await eventually(() =>
        Promise.resolve(
          holders.every((id) => OrderListener.seen.get(id)?.length === 5) ? true : undefined,
        ),
      );
      for (const id of holders) {
        expect(OrderListener.seen.get(id)).toEqual(
          [1, 2, 3, 4, 5].map((step) => `order-${id.slice(0, 8)}-${step}`),
        );
      }
      expect(OrderListener.maxInFlight).toBeGreaterThan(1);
      expect(OrderListener.maxInFlight).toBeLessThanOrEqual(4);
    } finally {
      await relay.close();
    }
  });

  it("wakes another instance's relay when the writing instance does not relay", async () => {
    const { rows: clock } = await db().query<{ now: Date }>('SELECT clock_timestamp() AS now');
    const relaying = await startApp({ OUTBOX_POLL_INTERVAL_MS: 60_000 });
    const rounds = followRounds(relaying.app.get(OutboxRelay), 'deliverBatch');
    const writing = await startApp({ OUTBOX_RELAY_ENABLED: false });
    const since = await lastPosition();
    // Asleep for a minute: every event of this test delivered, and its last round claimed nothing
    // and is over (the loop goes straight into its pause, or on at once if woken meanwhile).
    const relayAsleep = () =>
      eventually(
        async () =>
          (await count(
            'SELECT 1 FROM outbox_event WHERE position > $1 AND delivered_at IS NULL AND dead_lettered_at IS NULL',
            [since],
          )) === 0 &&
          rounds.started > 0 &&
          rounds.inFlight === 0 &&
          rounds.lastClaimed === 0
            ? true
            : undefined,
        10_000,
        'the relaying instance to deliver what it was woken for and go to sleep',
      );
    try {
      // Woken only by notifications: the relaying instance must be LISTENing before anything is written.
      await eventually(
        async () =>
          (await count(
            `SELECT 1 FROM pg_stat_activity WHERE datname = current_database()
               AND application_name = 'corporate-os-relay' AND backend_start >= $1
               AND state = 'idle' AND query ILIKE 'LISTEN %'`,
            [clock[0]?.now],
          )) === 1
            ? true
            : undefined,
        10_000,
        'the relaying instance to LISTEN',
      );
      const api = new Api(writing);
      await givenCompany(api);
      const holder = await givenShareholder(api);
      const shareClass = await givenShareClass(api);
      await relayAsleep();
      const issuance = await givenIssuance(api, {
        shareholder_id: holder.id,
        share_class_id: shareClass.id,
        number_of_shares: 5,
      });
      await eventually(
        async () =>
          (await count(
            `SELECT 1 FROM audit_entry WHERE action = 'issuance.created' AND entity_id = $1`,
            [issuance.id],
          )) === 1
            ? true
            : undefined,
        10_000,
        'the audit entry, well before the next poll',
      );
      // The same for events written inside a transaction (woken after its commit).
      await relayAsleep();
      const later = await givenShareholder(api);
      await eventually(
        async () =>
          (await count(
            `SELECT 1 FROM audit_entry WHERE action = 'shareholder.created' AND entity_id = $1`,
            [later.id],
          )) === 1
            ? true
            : undefined,
        10_000,
        'the shareholder audit entry, well before the next poll',
      );
    } finally {
      await writing.close();
      await relaying.close();
    }
  });

  it('renders queued certificates only once issuances pause', async () => {
    // A quiet time long enough that a slow machine still sees the request queued inside it.
    const app = await startApp({ CERTIFICATE_RENDER_QUIET_MS: 6_000, OUTBOX_POLL_INTERVAL_MS: 50 });
    const rounds = followRounds(app.app.get(CertificateRenderWorker), 'renderBatch');
    try {
      const api = new Api(app);
      await givenCompany(api);
      const holder = await givenShareholder(api);
      const shareClass = await givenShareClass(api);
      const issuance = await givenIssuance(api, {
        shareholder_id: holder.id,
        share_class_id: shareClass.id,
        number_of_shares: 10,
      });
      const certificates = () =>
        count('SELECT 1 FROM certificate WHERE issuance_id = $1', [issuance.id]);
      await eventually(async () =>
        (await count('SELECT 1 FROM certificate_request WHERE issuance_id = $1', [issuance.id])) +
          (await certificates()) >
        0
          ? true
          : undefined,
      );
      const queuedSeen = Date.now();
      // The worker looks at the queue every 50 ms: three rounds that left the request unclaimed.
      const roundsSeen = rounds.finished;
      await eventually(
        () => Promise.resolve(rounds.finished >= roundsSeen + 3 ? true : undefined),
        2_000,
        'three rounds of the render worker',
      );
      const unclaimed = () =>
        count('SELECT 1 FROM certificate_request WHERE issuance_id = $1 AND attempts = 0', [
          issuance.id,
        ]);
      expect(await unclaimed()).toBe(1);
      // Queued less than the quiet time ago: the worker is still waiting for the lull.
      expect(Date.now() - queuedSeen).toBeLessThan(5_000);
      expect(await certificates()).toBe(0);
      await eventually(async () => ((await certificates()) === 1 ? true : undefined), 20_000);
      // Not rendered before the lull: stored at least the quiet time after the issuance.
      expect(
        await count(
          `SELECT 1 FROM certificate c JOIN issuance i ON i.id = c.issuance_id
            WHERE c.issuance_id = $1 AND c.created_at >= i.created_at + interval '6 seconds'`,
          [issuance.id],
        ),
      ).toBe(1);
    } finally {
      await app.close();
    }
  });

  it('keeps the lease of an event whose delivery outlasts it, so no other instance delivers it again', async () => {
    SlowListener.calls = new Map();
    const env = { OUTBOX_POLL_INTERVAL_MS: 20, OUTBOX_LEASE_MS: 1_000 };
    const first = await startApp(env, undefined, undefined, [SlowListener]);
    const second = await startApp(env, undefined, undefined, [SlowListener]);
    try {
      const holder = await givenShareholder(new Api(first), { name: unique('slow') });
      const eventId = await eventually(async () => {
        const { rows } = await db().query<{ id: string; delivered_at: Date | null }>(
          'SELECT id, delivered_at FROM outbox_event WHERE aggregate_id = $1',
          [holder.id],
        );
        return rows[0]?.delivered_at ? rows[0].id : undefined;
      }, 15_000);
      expect(SlowListener.calls.get(eventId)).toBe(1);
      expect(await outboxRow(holder.id)).toMatchObject({ attempts: 1 });
    } finally {
      await first.close();
      await second.close();
    }
  }, 30_000);

  it('delivers each event once with two instances relaying from one database', async () => {
    CountingListener.seen = new Map();
    const first = await startApp(
      { OUTBOX_POLL_INTERVAL_MS: 20, OUTBOX_BATCH_SIZE: 5 },
      undefined,
      undefined,
      [CountingListener],
    );
    const second = await startApp(
      { OUTBOX_POLL_INTERVAL_MS: 20, OUTBOX_BATCH_SIZE: 5 },
      undefined,
      undefined,
      [CountingListener],
    );
    try {
      const api = new Api(first);
      await givenCompany(api);
      const holders = await Promise.all(
        Array.from({ length: 40 }, () => givenShareholder(api, { name: unique('pair') })),
      );
      const ids = holders.map((h) => h.id);
      await eventually(async () =>
        (await count(
          'SELECT 1 FROM outbox_event WHERE aggregate_id = ANY($1) AND delivered_at IS NULL',
          [ids],
        )) === 0
          ? true
          : undefined,
      );
      expect(CountingListener.seen.size).toBe(40);
      expect([...CountingListener.seen.values()].every((n) => n === 1)).toBe(true);
      expect(
        await count(
          'SELECT 1 FROM audit_entry a JOIN outbox_event o ON o.id = a.source_event_id WHERE o.aggregate_id = ANY($1)',
          [ids],
        ),
      ).toBe(40);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('loses nothing when the process is killed after an issuance commits and before its event is delivered', async () => {
    const setup = await startApp({ OUTBOX_POLL_INTERVAL_MS: 50 });
    let holder: { id: string };
    let shareClass: { id: string };
    try {
      const api = new Api(setup);
      await givenCompany(api);
      holder = await givenShareholder(api);
      shareClass = await givenShareClass(api);
      await eventually(async () =>
        (await count(
          'SELECT 1 FROM outbox_event WHERE delivered_at IS NULL AND dead_lettered_at IS NULL',
        )) === 0
          ? true
          : undefined,
      );
    } finally {
      await setup.close();
    }

    // The fault comes from the test (crash-before-delivery.ts): SIGKILL at the first delivery.
    const child = await startChildApp({ OUTBOX_LEASE_MS: '1000' }, ['crash-before-delivery.ts']);
    try {
      // The process may die before or after the response is written; the commit happened either way.
      await fetch(`${child.url}/api/issuances/`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${await tokenFor('admin')}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          shareholder_id: holder.id,
          share_class_id: shareClass.id,
          number_of_shares: 42,
          price: '1.5',
        }),
      }).catch(() => undefined);
      const [, signal] = (await child.exited) as [number | null, string | null];
      expect(signal).toBe('SIGKILL');
    } finally {
      child.process.kill('SIGKILL');
    }
    const { rows } = await db().query<{ id: string }>(
      'SELECT id FROM issuance WHERE shareholder_id = $1',
      [holder.id],
    );
    expect(rows).toHaveLength(1);
    const issuanceId = rows[0]?.id ?? '';
    expect(await outboxRow(issuanceId)).toMatchObject({ delivered_at: null, attempts: 1 });
    expect(await count('SELECT 1 FROM audit_entry WHERE entity_id = $1', [issuanceId])).toBe(0);

    const restarted: TestApp = await startApp({ OUTBOX_POLL_INTERVAL_MS: 100 });
    try {
      await eventually(
        async () => ((await outboxRow(issuanceId)).delivered_at ? true : undefined),
        15_000,
        'redelivery after the lease ran out',
      );
      expect(
        await count(
          "SELECT 1 FROM audit_entry WHERE entity_id = $1 AND action = 'issuance.created'",
          [issuanceId],
        ),
      ).toBe(1);
      // The certificate, rendered from the queue the listener wrote to, exists exactly once too.
      await eventually(
        async () =>
          (await count('SELECT 1 FROM certificate WHERE issuance_id = $1', [issuanceId])) > 0
            ? true
            : undefined,
        20_000,
        'the certificate',
      );
      expect(await count('SELECT 1 FROM certificate WHERE issuance_id = $1', [issuanceId])).toBe(1);
    } finally {
      await restarted.close();
    }
  });
});
