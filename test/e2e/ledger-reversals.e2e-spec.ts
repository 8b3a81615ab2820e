import {
  Api,
  givenCompany,
  givenIssuance,
  givenShareClass,
  givenShareholder,
  unique,
} from '../support/api';
import { startApp, TestApp } from '../support/app';
import { closeDb, count, db } from '../support/db';
import { certificatesOf, ledgerHelpers, Security } from '../support/ledger';
import { waitForCertificate } from '../support/pdf';
import { eventually } from '../support/wait';

interface Line {
  id: string;
  kind: string;
  date: string;
  security_id: string;
  reversed_transaction_id: string | null;
  reversed_by_transaction_id: string | null;
}

type Person = Awaited<ReturnType<typeof givenShareholder>>;

interface Reversal {
  transaction: Line;
  reversed: Line;
  restored: Security | null;
  withdrawn: Security[];
}

describe('corrections by reversal', () => {
  let testApp: TestApp;
  let api: Api;
  let helpers: ReturnType<typeof ledgerHelpers>;

  const reverse = (
    id: string,
    reason = 'Recorded in error',
    headers: Record<string, string> = {},
  ) => api.post(`/api/transactions/${id}/reversal`, { reason }, 'admin', headers);

  async function issued(holderId: string, shareClassId: string, shares: number, date: string) {
    return givenIssuance(api, {
      shareholder_id: holderId,
      share_class_id: shareClassId,
      number_of_shares: shares,
      price: '2',
      date,
    });
  }

  beforeAll(async () => {
    testApp = await startApp();
    api = new Api(testApp);
    helpers = ledgerHelpers(api);
    await givenCompany(api);
  });
  afterAll(async () => {
    await testApp.close();
    await closeDb();
  });

  it('undoes a transfer to two holders: the securities return to what they were, certificates follow, history stays', async () => {
    const { shareClass, people } = await helpers.given(3);
    const [alice, bob, carol] = people as [Person, Person, Person];
    const original = await issued(alice.id, shareClass.id, 1000, '2024-01-15');
    // The suite's first render starts Chromium: on a loaded machine it can take more than 10 s.
    const first = await waitForCertificate(original.id, 30_000);
    const transfer = await api.post(`/api/issuances/${original.id}/transfers`, {
      date: '2024-03-01',
      transfers: [
        { to_shareholder_id: bob.id, quantity: 300 },
        { to_shareholder_id: carol.id, quantity: 200 },
      ],
    });
    expect(transfer.status).toBe(201);
    const created = [
      transfer.body.balance.id,
      ...transfer.body.resulting.map((s: Security) => s.id),
    ];
    for (const id of created) await waitForCertificate(id);
    const beforeCorrection = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));

    const response = await reverse(transfer.body.transaction.id, 'Entered for the wrong company');
    expect(response.status).toBe(201);
    const body = response.body as Reversal;
    expect(body.transaction).toMatchObject({
      kind: 'REVERSAL',
      date: '2024-03-01',
      security_id: original.id,
      reversed_transaction_id: transfer.body.transaction.id,
      reversed_by_transaction_id: null,
    });
    expect(body.reversed).toMatchObject({
      id: transfer.body.transaction.id,
      kind: 'TRANSFER',
      reversed_by_transaction_id: body.transaction.id,
    });
    expect(body.restored).toMatchObject({
      id: original.id,
      status: 'OUTSTANDING',
      number_of_shares: 1000,
      spent_by_transaction_id: null,
    });
    expect(body.withdrawn.map((s) => [s.id, s.status]).sort()).toEqual(
      created.map((id) => [id, 'REVERSED']).sort(),
    );

    // The books as they read now, and as they read before the correction was recorded.
    expect(await helpers.positions(shareClass.id, 'as_of=2024-06-30')).toEqual({
      [alice.id]: 1000,
    });
    expect(await helpers.positions(shareClass.id)).toEqual({ [alice.id]: 1000 });
    const knownBefore = `as_of=2024-06-30&known_at=${encodeURIComponent(beforeCorrection)}`;
    expect(await helpers.positions(shareClass.id, knownBefore)).toEqual({
      [alice.id]: 500,
      [bob.id]: 300,
      [carol.id]: 200,
    });
    const knownEarlier = `as_of=2024-02-01&known_at=${encodeURIComponent(beforeCorrection)}`;
    expect(await helpers.positions(shareClass.id, knownEarlier)).toEqual({ [alice.id]: 1000 });

    // The transfer stays in the ledger, marked; the reversal is a line of its own.
    const line = await api.get(`/api/transactions/${transfer.body.transaction.id}`, 'auditor');
    expect(line.body.reversed_by_transaction_id).toBe(body.transaction.id);
    const ledger = await api.get(`/api/transactions/?security_id=${original.id}`, 'auditor');
    expect(ledger.body.items.map((l: Line) => l.kind)).toEqual([
      'ISSUANCE',
      'TRANSFER',
      'REVERSAL',
    ]);
    const lineage = await api.get(`/api/issuances/${original.id}/lineage`, 'auditor');
    expect(lineage.body.transactions.map((l: Line) => l.kind)).toEqual(
      expect.arrayContaining(['TRANSFER', 'REVERSAL']),
    );

    // The three certificates of the transfer are cancelled; the original security gets a new
    // version of its certificate, under its number; version 1 stays cancelled.
    for (const id of created)
      await eventually(async () =>
        (await certificatesOf(id))[0]?.status === 'cancelled' ? true : undefined,
      );
    const versions = await eventually(async () => {
      const rows = await certificatesOf(original.id);
      return rows[0]?.status === 'active' ? rows : undefined;
    }, 20_000);
    expect(versions.map((v) => [v.version, v.status])).toEqual([
      [2, 'active'],
      [1, 'cancelled'],
    ]);
    expect(versions[0]).toMatchObject({
      certificate_number: first.certificate_number,
      supersedes_id: first.id,
    });
    const verified = await api.get(
      `/api/certificates/verify/${first.verification_code}`,
      'anonymous',
    );
    expect(verified.body.status).toBe('cancelled');

    // The restored security is outstanding: it can be transferred again.
    const again = await api.post(`/api/issuances/${original.id}/transfers`, {
      date: '2024-04-01',
      transfers: [{ to_shareholder_id: bob.id, quantity: 10 }],
    });
    expect(again.status).toBe(201);
  });

  it('undoes a mistaken issuance and refuses one whose security was spent since', async () => {
    const { shareClass, people } = await helpers.given(2, 5000);
    const [alice, bob] = people as [Person, Person];
    const mistaken = await issued(alice.id, shareClass.id, 700, '2024-05-01');
    const kept = await issued(alice.id, shareClass.id, 300, '2024-05-01');
    await waitForCertificate(mistaken.id);
    const total = async () =>
      (
        await db().query('SELECT issued_shares::int AS n FROM share_class WHERE id = $1', [
          shareClass.id,
        ])
      ).rows[0].n;
    expect(await total()).toBe(1000);

    const response = await reverse(mistaken.id, 'Board never approved it');
    expect(response.status).toBe(201);
    const body = response.body as Reversal;
    expect(body.transaction).toMatchObject({
      kind: 'REVERSAL',
      reversed_transaction_id: mistaken.id,
      quantity: 700,
    });
    expect(body.reversed).toMatchObject({
      kind: 'ISSUANCE',
      reversed_by_transaction_id: body.transaction.id,
    });
    expect(body.restored).toBeNull();
    expect(body.withdrawn).toEqual([
      expect.objectContaining({ id: mistaken.id, status: 'REVERSED' }),
    ]);
    expect(await total()).toBe(300);
    expect(await helpers.positions(shareClass.id, 'as_of=2024-05-01')).toEqual({ [alice.id]: 300 });
    await eventually(async () =>
      (await certificatesOf(mistaken.id))[0]?.status === 'cancelled' ? true : undefined,
    );

    const transfer = await api.post(`/api/issuances/${kept.id}/transfers`, {
      date: '2024-06-01',
      transfers: [{ to_shareholder_id: bob.id, quantity: 100 }],
    });
    expect(transfer.status).toBe(201);
    const refused = await reverse(kept.id);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      code: 'LATER_TRANSACTION_EXISTS',
      later_transaction_id: transfer.body.transaction.id,
      security_id: kept.id,
    });
    // The balance of that transfer was not spent: the transfer itself can be reversed.
    const balanceSpent = await api.post(
      `/api/issuances/${transfer.body.balance.id}/cancellations`,
      {
        date: '2024-07-01',
        quantity: 1,
        reason: 'Forfeited',
      },
    );
    expect(balanceSpent.status).toBe(201);
    const laterRefused = await reverse(transfer.body.transaction.id);
    expect([laterRefused.status, laterRefused.body.later_transaction_id]).toEqual([
      409,
      balanceSpent.body.transaction.id,
    ]);
    // Undo in the reverse order: the cancellation, then the transfer.
    expect((await reverse(balanceSpent.body.transaction.id)).status).toBe(201);
    expect((await reverse(transfer.body.transaction.id)).status).toBe(201);
    expect(await helpers.positions(shareClass.id)).toEqual({ [alice.id]: 300 });
    expect(await total()).toBe(300);
  });

  it('refuses what cannot be reversed, with a problem naming why, and changes nothing', async () => {
    const { shareClass, people } = await helpers.given(2);
    const [alice, bob] = people as [Person, Person];
    const security = await issued(alice.id, shareClass.id, 100, '2024-01-01');
    const transfer = await api.post(`/api/issuances/${security.id}/transfers`, {
      date: '2024-02-01',
      transfers: [{ to_shareholder_id: bob.id, quantity: 40 }],
    });
    const reversal = await reverse(transfer.body.transaction.id);
    expect(reversal.status).toBe(201);
    const split = await api.post(`/api/share-classes/${shareClass.id}/splits`, {
      date: '2024-03-01',
      numerator: 2,
      denominator: 1,
    });
    expect(split.status).toBe(201);
    const {
      rows: [reissuance],
    } = await db().query<{ id: string }>(
      'SELECT id FROM stock_transaction WHERE split_transaction_id = $1 LIMIT 1',
      [split.body.id],
    );
    const transactions = await count('SELECT 1 FROM stock_transaction');

    const cases: Array<[string, object, string, number, string]> = [
      [
        transfer.body.transaction.id,
        { reason: 'again' },
        'admin',
        409,
        'TRANSACTION_ALREADY_REVERSED',
      ],
      [
        reversal.body.transaction.id,
        { reason: 'undo the undo' },
        'admin',
        409,
        'TRANSACTION_NOT_REVERSIBLE',
      ],
      [
        reissuance?.id ?? '',
        { reason: 'one piece of a split' },
        'admin',
        409,
        'TRANSACTION_NOT_REVERSIBLE',
      ],
      [
        '00000000-0000-4000-8000-000000000000',
        { reason: 'unknown' },
        'admin',
        404,
        'TRANSACTION_NOT_FOUND',
      ],
      [security.id, {}, 'admin', 400, 'VALIDATION_FAILED'],
      [security.id, { reason: '' }, 'admin', 400, 'VALIDATION_FAILED'],
      [security.id, { reason: 'not theirs' }, 'auditor', 403, 'FORBIDDEN'],
    ];
    for (const [id, body, as, status, code] of cases) {
      const response = await api.post(`/api/transactions/${id}/reversal`, body, as as 'admin');
      expect([id, response.status, response.body.code]).toEqual([id, status, code]);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      if (status === 400) expect(response.body.errors[0].field).toBe('reason');
    }
    expect(reversal.body.transaction.id).toBeDefined();
    expect(await count('SELECT 1 FROM stock_transaction')).toBe(transactions);
  });

  it('restores cancelled shares only within the authorized shares of every date since', async () => {
    const shareClass = await givenShareClass(api, { authorized_shares: 1000 });
    const { people } = await helpers.given(1);
    const [holder] = people as [Person];
    const security = await issued(holder.id, shareClass.id, 1000, '2024-01-01');
    const cancellation = await api.post(`/api/issuances/${security.id}/cancellations`, {
      date: '2024-02-01',
      quantity: 100,
      reason: 'Forfeited',
    });
    expect(cancellation.status).toBe(201);
    const raised = await api.post(
      `/api/share-classes/${shareClass.id}/authorized-shares-adjustments`,
      {
        date: '2024-06-01',
        authorized_shares: 2000,
      },
    );
    expect(raised.status).toBe(201);
    await issued(holder.id, shareClass.id, 100, '2024-03-01');
    const transactions = await count('SELECT 1 FROM stock_transaction');

    // Today 1,100 of 2,000 would be fine, but from February to May only 1,000 were authorized.
    const refused = await reverse(cancellation.body.transaction.id);
    expect([refused.status, refused.body.code]).toEqual([409, 'AUTHORIZED_SHARES_EXCEEDED']);
    expect(await count('SELECT 1 FROM stock_transaction')).toBe(transactions);
    expect(await helpers.positions(shareClass.id)).toEqual({ [holder.id]: 1000 });
  });

  it('undoes a conversion: both classes return to their totals', async () => {
    const common = await givenShareClass(api, { type: 'COMMON', authorized_shares: 10_000 });
    const preferred = await givenShareClass(api, {
      type: 'PREFERRED',
      authorized_shares: 10_000,
      converts_to_share_class_id: common.id,
      conversion_numerator: 2,
    });
    const { people } = await helpers.given(1);
    const [holder] = people as [Person];
    const security = await issued(holder.id, preferred.id, 500, '2024-01-01');
    const conversion = await api.post(`/api/issuances/${security.id}/conversions`, {
      date: '2024-02-01',
      to_share_class_id: common.id,
      quantity: 200,
    });
    expect(conversion.status).toBe(201);
    const totals = async () =>
      (
        await db().query<{ id: string; n: number }>(
          'SELECT id, issued_shares::int AS n FROM share_class WHERE id = ANY($1) ORDER BY id',
          [[common.id, preferred.id]],
        )
      ).rows.reduce<Record<string, number>>((all, row) => ({ ...all, [row.id]: row.n }), {});
    expect(await totals()).toEqual({ [common.id]: 400, [preferred.id]: 300 });
    expect((await reverse(conversion.body.transaction.id)).status).toBe(201);
    expect(await totals()).toEqual({ [common.id]: 0, [preferred.id]: 500 });
    expect(await helpers.positions(preferred.id)).toEqual({ [holder.id]: 500 });
    expect(await helpers.positions(common.id)).toEqual({});
  });

  it('lets exactly one of 10 concurrent reversals through, and never both a reversal and a later transfer', async () => {
    const { shareClass, people } = await helpers.given(3);
    const [alice, bob, carol] = people as [Person, Person, Person];
    const security = await issued(alice.id, shareClass.id, 1000, '2024-01-01');
    const transfer = await api.post(`/api/issuances/${security.id}/transfers`, {
      date: '2024-02-01',
      transfers: [{ to_shareholder_id: bob.id, quantity: 400 }],
    });
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => reverse(transfer.body.transaction.id)),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([201, ...Array<number>(9).fill(409)]);
    for (const answer of answers.filter((a) => a.status === 409))
      expect(answer.body.code).toBe('TRANSACTION_ALREADY_REVERSED');
    expect(await helpers.positions(shareClass.id)).toEqual({ [alice.id]: 1000 });

    // A transfer of the resulting security and the reversal of the transfer that created it,
    // raced five times: exactly one of each pair wins.
    for (let round = 0; round < 5; round++) {
      const held = (await helpers.positions(shareClass.id))[alice.id];
      const outstanding = await db().query<{ id: string }>(
        `SELECT id FROM issuance WHERE share_class_id = $1 AND shareholder_id = $2 AND status = 'OUTSTANDING'`,
        [shareClass.id, alice.id],
      );
      const [source] = outstanding.rows as [Person];
      const step = await api.post(`/api/issuances/${source.id}/transfers`, {
        date: '2024-03-01',
        transfers: [{ to_shareholder_id: bob.id, quantity: 10 }],
      });
      expect(step.status).toBe(201);
      const [reversal, onward] = await Promise.all([
        reverse(step.body.transaction.id),
        api.post(`/api/issuances/${step.body.resulting[0].id}/transfers`, {
          date: '2024-04-01',
          transfers: [{ to_shareholder_id: carol.id, quantity: 10 }],
        }),
      ]);
      expect([reversal.status, onward.status].sort()).toEqual([201, 409]);
      expect(reversal.status === 201 ? onward.body.code : reversal.body.code).toBe(
        reversal.status === 201 ? 'SECURITY_ALREADY_SPENT' : 'LATER_TRANSACTION_EXISTS',
      );
      const after = await helpers.positions(shareClass.id);
      expect(after[alice.id]).toBe(reversal.status === 201 ? held : held - 10);
      expect(Object.values(after).reduce((a, b) => a + b, 0)).toBe(1000);
    }
  });

  it('replays a reversal for the same Idempotency-Key', async () => {
    const { shareClass, people } = await helpers.given(1);
    const [holder] = people as [Person];
    const security = await issued(holder.id, shareClass.id, 10, '2024-01-01');
    const key = unique('reversal');
    const first = await reverse(security.id, 'Duplicate entry', { 'idempotency-key': key });
    const replay = await reverse(security.id, 'Duplicate entry', { 'idempotency-key': key });
    expect([first.status, replay.status]).toEqual([201, 201]);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(first.body);
    const reused = await reverse(security.id, 'Another reason', { 'idempotency-key': key });
    expect([reused.status, reused.body.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
  });

  it('reconciles a company ledger after reversals of every kind, and names corruptions done in SQL', async () => {
    const { at, post } = await helpers.inNewCompany('Corrected Ltd');
    const common = await post('/share-classes/', {
      name: 'Common',
      type: 'COMMON',
      authorized_shares: 100_000,
      par_value: '0.01',
      votes_per_share: 1,
      certificate_prefix: 'CC',
    });
    const [a, b] = await Promise.all(
      ['A', 'B'].map((n) =>
        post('/shareholders/', {
          name: `Holder ${n}`,
          email: `${unique(n).toLowerCase()}@example.com`,
        }),
      ),
    );
    const issue = (shares: number) =>
      post('/issuances/', {
        shareholder_id: a.id,
        share_class_id: common.id,
        number_of_shares: shares,
        price: '1',
        date: '2024-01-01',
      });
    const [s1, s2, s3, s4] = [
      await issue(1000),
      await issue(500),
      await issue(200),
      await issue(50),
    ];
    const transfer = await post(`/issuances/${s1.id}/transfers`, {
      date: '2024-02-01',
      transfers: [{ to_shareholder_id: b.id, quantity: 300 }],
    });
    const cancellation = await post(`/issuances/${s2.id}/cancellations`, {
      date: '2024-02-01',
      quantity: 100,
      reason: 'Forfeited',
    });
    const repurchase = await post(`/issuances/${s3.id}/repurchases`, {
      date: '2024-02-01',
      quantity: 200,
      price_per_share: '1.5',
    });
    const reissuance = await post(`/issuances/${s4.id}/reissuances`, {
      date: '2024-02-01',
      reason: 'Lost',
    });
    for (const line of [transfer, cancellation, repurchase, reissuance])
      await post(`/transactions/${line.transaction.id}/reversal`, { reason: 'Recorded in error' });
    await post(`/transactions/${s4.id}/reversal`, { reason: 'Never issued' });

    const reconcile = () => api.get(at('/ledger/reconciliation'));
    let last: unknown;
    const clean = await eventually(async () => {
      const body = (await reconcile()).body;
      last = body;
      return body.ok === true && body.checked.pending_certificates === 0 ? body : undefined;
    }, 30_000).catch((error: Error) => {
      throw new Error(`${error.message}: ${JSON.stringify(last)}`);
    });
    expect(clean.mismatches).toEqual([]);
    expect(clean.checked).toMatchObject({ transactions: 9 });

    // A reversal's mark stays once set, even for the schema's owner.
    await expect(
      db().query('UPDATE stock_transaction SET reversed_by_transaction_id = NULL WHERE id = $1', [
        transfer.transaction.id,
      ]),
    ).rejects.toThrow(/already reversed/);
    // A withdrawn security made outstanding behind the service's back is named.
    await db().query(
      `UPDATE issuance SET status = 'OUTSTANDING', spent_by_transaction_id = NULL, spent_on = NULL
        WHERE id = $1`,
      [transfer.resulting[0].id],
    );
    // A reversal mark removed by the owner with the trigger off is named too.
    const client = await db().connect();
    try {
      await client.query('BEGIN');
      await client.query(
        'ALTER TABLE stock_transaction DISABLE TRIGGER tr_stock_transaction_reversed_once',
      );
      await client.query(
        'UPDATE stock_transaction SET reversed_by_transaction_id = NULL WHERE id = $1',
        [cancellation.transaction.id],
      );
      await client.query(
        'ALTER TABLE stock_transaction ENABLE TRIGGER tr_stock_transaction_reversed_once',
      );
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    const corrupt = (await reconcile()).body;
    expect(corrupt.ok).toBe(false);
    expect(corrupt.mismatches).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'SECURITY_STATUS', security_id: transfer.resulting[0].id }),
        expect.objectContaining({
          kind: 'REVERSAL_MARK',
          transaction_id: cancellation.transaction.id,
          actual: 'none',
        }),
        expect.objectContaining({
          kind: 'HOLDER_POSITION',
          shareholder_id: b.id,
          expected: '0',
          actual: '300',
        }),
      ]),
    );
  });
});
