import request from 'supertest';
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
import { waitForCertificate } from '../support/pdf';
import { ledgerHelpers, Security } from '../support/ledger';
import { eventually } from '../support/wait';

type Helpers = ReturnType<typeof ledgerHelpers>;

const today = () => new Date().toISOString().slice(0, 10);

interface Holder {
  id: string;
}

/** The holders asked for, each one there. */
function holders(people: Holder[], n: number): Holder[] {
  if (people.length < n) throw new Error(`expected ${n} holders`);
  return people.slice(0, n);
}

describe('the stock ledger: transfers, cancellations, repurchases, reissuances', () => {
  let testApp: TestApp;
  let api: Api;

  let given: Helpers['given'];
  let positions: Helpers['positions'];
  let inNewCompany: Helpers['inNewCompany'];

  const certificateOf = (issuanceId: string) =>
    db()
      .query<{
        id: string;
        status: string;
        verification_code: string;
        cancellation_reason: string;
      }>(
        `SELECT id, status, verification_code, cancellation_reason FROM certificate
          WHERE issuance_id = $1 ORDER BY version DESC`,
        [issuanceId],
      )
      .then((result) => result.rows[0]);

  beforeAll(async () => {
    testApp = await startApp();
    api = new Api(testApp);
    ({ given, positions, inNewCompany } = ledgerHelpers(api));
    await givenCompany(api);
  });
  afterAll(async () => {
    await testApp.close();
    await closeDb();
  });

  it('splits a security between the holder and two transferees, with three new certificates', async () => {
    const { shareClass, people } = await given();
    const [alice, bob, carol] = holders(people, 3) as [Holder, Holder, Holder];
    const original = await givenIssuance(api, {
      shareholder_id: alice.id,
      share_class_id: shareClass.id,
      number_of_shares: 1000,
      price: '2.5',
      date: '2024-01-15',
    });
    const oldCertificate = await waitForCertificate(original.id);

    const response = await api.post(`/api/issuances/${original.id}/transfers`, {
      date: '2024-06-30',
      transfers: [
        { to_shareholder_id: bob.id, quantity: 300 },
        { to_shareholder_id: carol.id, quantity: 200 },
      ],
      price_per_share: '3.1',
      consideration_text: 'Secondary sale',
    });
    expect(response.status).toBe(201);
    const { transaction, spent, balance, resulting } = response.body as {
      transaction: Record<string, unknown>;
      spent: Security;
      balance: Security;
      resulting: Security[];
    };
    expect(transaction).toMatchObject({
      kind: 'TRANSFER',
      date: '2024-06-30',
      security_id: original.id,
      quantity: 500,
      price_per_share: '3.1',
      total_amount: '1550',
      balance_security_id: balance.id,
      resulting_security_ids: resulting.map((r) => r.id),
    });
    expect(typeof transaction.recorded_at).toBe('string');
    expect(spent).toMatchObject({
      id: original.id,
      status: 'TRANSFERRED',
      spent_by_transaction_id: transaction.id,
      derived_security_ids: [balance.id, ...resulting.map((r) => r.id)],
    });
    expect(balance).toMatchObject({
      shareholder_id: alice.id,
      number_of_shares: 500,
      price: '2.5',
      total_amount: '1250',
      status: 'OUTSTANDING',
      origin_transaction_id: transaction.id,
    });
    expect(resulting.map((r) => [r.shareholder_id, r.number_of_shares, r.total_amount])).toEqual([
      [bob.id, 300, '930'],
      [carol.id, 200, '620'],
    ]);

    // Certificates follow: the old one is cancelled (and verifies as such), each new security
    // gets a certificate of its own.
    for (const created of [balance, ...resulting]) await waitForCertificate(created.id);
    const cancelled = await eventually(async () => {
      const certificate = await certificateOf(original.id);
      return certificate?.status === 'cancelled' ? certificate : undefined;
    });
    expect(cancelled.id).toBe(oldCertificate.id);
    expect(cancelled.cancellation_reason).toContain(`TRANSFER ${String(transaction.id)}`);
    const verified = await request(testApp.app.getHttpServer()).get(
      `/api/certificates/verify/${cancelled.verification_code}`,
    );
    expect(verified.body.status).toBe('cancelled');
    expect(
      await count(`SELECT 1 FROM certificate WHERE issuance_id = ANY($1) AND status = 'active'`, [
        [balance.id, ...resulting.map((r) => r.id)],
      ]),
    ).toBe(3);

    // The cap table moves exactly, and only from the transfer's effective date on.
    expect(await positions(shareClass.id)).toEqual({
      [alice.id]: 500,
      [bob.id]: 300,
      [carol.id]: 200,
    });
    expect(await positions(shareClass.id, 'as_of=2024-06-29')).toEqual({ [alice.id]: 1000 });
    expect(await positions(shareClass.id, 'as_of=2024-06-30')).toEqual({
      [alice.id]: 500,
      [bob.id]: 300,
      [carol.id]: 200,
    });
    const sharesClass = await api.get(`/api/share-classes/${shareClass.id}`);
    expect(sharesClass.body.issued_shares).toBe(1000);

    // The audit log records the transaction with the positions before and after.
    const entry = await eventually(async () => {
      const { rows } = await db().query(
        `SELECT before, after FROM audit_entry WHERE action = 'stock.transaction_recorded' AND entity_id = $1`,
        [transaction.id],
      );
      return rows[0] as
        { before: { positions: unknown[] }; after: { positions: unknown[] } } | undefined;
    });
    expect(entry.before.positions).toEqual([
      { shareholder_id: alice.id, share_class_id: shareClass.id, shares: 1000 },
    ]);
    expect(entry.after.positions).toEqual(
      expect.arrayContaining([
        { shareholder_id: alice.id, share_class_id: shareClass.id, shares: 500 },
        { shareholder_id: bob.id, share_class_id: shareClass.id, shares: 300 },
        { shareholder_id: carol.id, share_class_id: shareClass.id, shares: 200 },
      ]),
    );

    // History: lists show outstanding securities unless asked for all; the lineage walks both ways.
    const outstanding = await api.get(`/api/issuances/?share_class_id=${shareClass.id}`);
    expect((outstanding.body as Security[]).map((s) => s.id).sort()).toEqual(
      [balance.id, ...resulting.map((r) => r.id)].sort(),
    );
    const all = await api.get(`/api/issuances/?share_class_id=${shareClass.id}&status=all`);
    expect(all.body).toHaveLength(4);
    const shown = await api.get(`/api/issuances/${original.id}`);
    expect(shown.body).toMatchObject({ status: 'TRANSFERRED', spent_on: '2024-06-30' });
    const lineage = await api.get(`/api/issuances/${resulting[0]?.id}/lineage`, 'auditor');
    expect(lineage.status).toBe(200);
    expect((lineage.body.securities as Security[]).map((s) => s.id)).toEqual([
      original.id,
      resulting[0]?.id,
    ]);
    expect(lineage.body.transactions.map((t: { kind: string }) => t.kind)).toEqual([
      'ISSUANCE',
      'TRANSFER',
    ]);
    expect(lineage.body.outstanding_security_ids).toEqual([resulting[0]?.id]);
    const fromRoot = await api.get(`/api/issuances/${original.id}/lineage`);
    expect(fromRoot.body.outstanding_security_ids.sort()).toEqual(
      [balance.id, ...resulting.map((r) => r.id)].sort(),
    );
  });

  it('lets exactly one of 20 concurrent transfers of a security through', async () => {
    const { shareClass, people } = await given(21);
    const [holder, ...others] = people as Array<{ id: string }>;
    const security = await givenIssuance(api, {
      shareholder_id: holder?.id,
      share_class_id: shareClass.id,
      number_of_shares: 100,
      price: '1',
      date: '2024-01-01',
    });
    const responses = await Promise.all(
      others.map((to) =>
        api.post(`/api/issuances/${security.id}/transfers`, {
          date: '2024-02-01',
          transfers: [{ to_shareholder_id: to.id, quantity: 100 }],
        }),
      ),
    );
    const won = responses.filter((r) => r.status === 201);
    const refused = responses.filter((r) => r.status === 409);
    expect(won).toHaveLength(1);
    expect(refused).toHaveLength(19);
    const winner = won[0]?.body.transaction.id as string;
    for (const response of refused) {
      expect(response.body).toMatchObject({
        code: 'SECURITY_ALREADY_SPENT',
        spent_by_transaction_id: winner,
      });
      expect(response.body.detail).toContain(winner);
    }
    expect(
      await count('SELECT 1 FROM stock_transaction WHERE security_id = $1', [security.id]),
    ).toBe(1);
    const totals = await positions(shareClass.id);
    expect(Object.values(totals)).toEqual([100]);
    expect(await count('SELECT 1 FROM issuance WHERE share_class_id = $1', [shareClass.id])).toBe(
      2,
    );
  });

  it('cancels part of a security, leaving a balance, and lowers what is outstanding', async () => {
    const { shareClass, people } = await given(1, 1000);
    const holder = people[0] as { id: string };
    const security = await givenIssuance(api, {
      shareholder_id: holder.id,
      share_class_id: shareClass.id,
      number_of_shares: 1000,
      price: '1',
      date: '2024-01-01',
    });
    const partial = await api.post(`/api/issuances/${security.id}/cancellations`, {
      date: '2024-03-01',
      quantity: 400,
      reason: 'Forfeited',
    });
    expect(partial.status).toBe(201);
    expect(partial.body.spent.status).toBe('CANCELLED');
    expect(partial.body.balance).toMatchObject({ number_of_shares: 600, status: 'OUTSTANDING' });
    expect(partial.body.resulting).toEqual([]);
    expect(partial.body.transaction).toMatchObject({ kind: 'CANCELLATION', reason: 'Forfeited' });
    const afterPartial = await api.get(`/api/share-classes/${shareClass.id}`);
    expect(afterPartial.body).toMatchObject({ issued_shares: 600, unissued_shares: 400 });
    // The freed authorized shares can be issued again.
    await givenIssuance(api, {
      shareholder_id: holder.id,
      share_class_id: shareClass.id,
      number_of_shares: 400,
      price: '1',
    });
    const rest = await api.post(`/api/issuances/${partial.body.balance.id}/cancellations`, {
      date: '2024-04-01',
      quantity: 600,
      reason: 'Forfeited',
    });
    expect(rest.status).toBe(201);
    expect(rest.body.balance).toBeNull();
    expect(await positions(shareClass.id)).toEqual({ [holder.id]: 400 });
    expect(await positions(shareClass.id, 'as_of=2024-03-31')).toEqual({ [holder.id]: 600 });
  });

  it('shows a past date as the books knew it: a backdated cancellation is left out before it was recorded', async () => {
    const { shareClass, people } = await given(2);
    const [holder, to] = holders(people, 2) as [Holder, Holder];
    const security = await givenIssuance(api, {
      shareholder_id: holder.id,
      share_class_id: shareClass.id,
      number_of_shares: 100,
      price: '1',
      date: '2024-01-10',
    });
    const transfer = await api.post(`/api/issuances/${security.id}/transfers`, {
      date: '2024-02-01',
      transfers: [{ to_shareholder_id: to.id, quantity: 30 }],
    });
    expect(transfer.status).toBe(201);
    const closedAt = new Date().toISOString(); // "the year was closed"
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Recorded now, effective last March: a correction of the books after the close.
    const correction = await api.post(`/api/issuances/${transfer.body.balance.id}/cancellations`, {
      date: '2024-03-01',
      quantity: 20,
      reason: 'Forfeited, recorded late',
    });
    expect(correction.status).toBe(201);

    const table = async (query: string) => {
      const response = await api.get(`/api/cap-table?${query}`, 'auditor');
      expect(response.status).toBe(200);
      const rows = (
        response.body.holders as Array<{
          shareholder_id: string;
          holdings: Array<{ share_class_id: string; shares: number }>;
        }>
      ).flatMap((h) =>
        h.holdings
          .filter((x) => x.share_class_id === shareClass.id)
          .map((x) => [h.shareholder_id, x.shares] as const),
      );
      return {
        body: response.body as { as_of: string; known_at: string },
        positions: Object.fromEntries(rows),
      };
    };
    const now = await table('as_of=2024-12-31');
    expect(now.positions).toEqual({ [holder.id]: 50, [to.id]: 30 });
    const asKnown = await table(`as_of=2024-12-31&known_at=${encodeURIComponent(closedAt)}`);
    expect(asKnown.positions).toEqual({ [holder.id]: 70, [to.id]: 30 });
    expect(asKnown.body).toMatchObject({ as_of: '2024-12-31', known_at: closedAt });
    const beforeTransfer = await table(`as_of=2024-01-31&known_at=${encodeURIComponent(closedAt)}`);
    expect(beforeTransfer.positions).toEqual({ [holder.id]: 100 });
    const beforeAnything = await table(
      `as_of=2024-12-31&known_at=${encodeURIComponent('2000-01-01T00:00:00Z')}`,
    );
    expect(beforeAnything.positions).toEqual({});
    expect(now.body.known_at >= closedAt).toBe(true);
    for (const bad of ['2024-12-31', 'yesterday', '2024-12-31T25:00:00Z']) {
      const response = await api.get(`/api/cap-table?known_at=${encodeURIComponent(bad)}`);
      expect(response.status).toBe(400);
      expect(response.body.errors[0].field).toBe('known_at');
    }
  });

  describe('conversions', () => {
    let common: { id: string };
    let preferred: { id: string };
    let holder: Holder;

    beforeAll(async () => {
      common = await givenShareClass(api, { type: 'COMMON', authorized_shares: 10_000 });
      preferred = await givenShareClass(api, {
        type: 'PREFERRED',
        authorized_shares: 10_000,
        converts_to_share_class_id: common.id,
        conversion_numerator: 3,
        conversion_denominator: 2,
      });
      holder = await givenShareholder(api);
    });

    const preferredSecurity = (shares: number, date = '2024-01-01') =>
      givenIssuance(api, {
        shareholder_id: holder.id,
        share_class_id: preferred.id,
        number_of_shares: shares,
        price: '2',
        date,
      });
    const issued = async (id: string) =>
      (await api.get(`/api/share-classes/${id}`)).body.issued_shares as number;

    it('converts at the class ratio, rounding down and paying the fraction in cash', async () => {
      const security = await preferredSecurity(101);
      const [commonBefore, preferredBefore] = [await issued(common.id), await issued(preferred.id)];
      const noPrice = await api.post(`/api/issuances/${security.id}/conversions`, {
        date: '2024-06-01',
        to_share_class_id: common.id,
      });
      expect(noPrice.status).toBe(400);
      expect(noPrice.body.errors[0].field).toBe('fraction_price_per_share');
      expect(noPrice.body.detail).toContain('1/2');
      expect(await issued(common.id)).toBe(commonBefore);

      const response = await api.post(`/api/issuances/${security.id}/conversions`, {
        date: '2024-06-01',
        to_share_class_id: common.id,
        fraction_price_per_share: '4',
      });
      expect(response.status).toBe(201);
      const { transaction, spent, balance, resulting } = response.body;
      expect(spent.status).toBe('CONVERTED');
      expect(balance).toBeNull();
      expect(resulting).toHaveLength(1);
      expect(resulting[0]).toMatchObject({
        shareholder_id: holder.id,
        share_class_id: common.id,
        number_of_shares: 151,
        status: 'OUTSTANDING',
      });
      expect(transaction).toMatchObject({
        kind: 'CONVERSION',
        quantity: 101,
        conversion: {
          numerator: 3,
          denominator: 2,
          fraction: { numerator: 1, denominator: 2, price_per_share: '4', cash_amount: '2' },
        },
      });
      expect(await issued(preferred.id)).toBe(preferredBefore - 101);
      expect(await issued(common.id)).toBe(commonBefore + 151);
      const stored = await api.get(`/api/transactions/${transaction.id}`);
      expect(stored.body.conversion).toEqual(transaction.conversion);
      expect(await positions(preferred.id, 'as_of=2024-05-31')).toMatchObject({ [holder.id]: 101 });
    });

    it('uses the ratio in force on the date, after a dated adjustment', async () => {
      const adjusted = await api.post(
        `/api/share-classes/${preferred.id}/conversion-ratio-adjustments`,
        { date: '2025-01-01', numerator: 2, denominator: 1 },
      );
      expect(adjusted.status).toBe(201);
      expect(adjusted.body).toMatchObject({ share_class_id: preferred.id, numerator: 2 });
      const again = await api.post(
        `/api/share-classes/${preferred.id}/conversion-ratio-adjustments`,
        { date: '2025-01-01', numerator: 5, denominator: 1 },
      );
      expect([again.status, again.body.errors?.[0]?.field]).toEqual([409, 'date']);
      const early = await preferredSecurity(10);
      const late = await preferredSecurity(10);
      const before = await api.post(`/api/issuances/${early.id}/conversions`, {
        date: '2024-12-31',
        to_share_class_id: common.id,
      });
      const after = await api.post(`/api/issuances/${late.id}/conversions`, {
        date: '2025-02-01',
        to_share_class_id: common.id,
        quantity: 4,
      });
      expect(before.body.resulting[0].number_of_shares).toBe(15);
      expect(after.body.resulting[0].number_of_shares).toBe(8);
      expect(after.body.balance).toMatchObject({
        share_class_id: preferred.id,
        number_of_shares: 6,
      });
    });

    it('refuses a class it does not convert into, or one that would exceed its authorized shares', async () => {
      const security = await preferredSecurity(10);
      const elsewhere = await givenShareClass(api);
      const wrong = await api.post(`/api/issuances/${security.id}/conversions`, {
        date: '2024-06-01',
        to_share_class_id: elsewhere.id,
      });
      expect([wrong.status, wrong.body.code, wrong.body.errors[0].field]).toEqual([
        422,
        'CONVERSION_NOT_DEFINED',
        'to_share_class_id',
      ]);
      const small = await givenShareClass(api, { authorized_shares: 5 });
      await api.patch(`/api/share-classes/${preferred.id}`, {
        converts_to_share_class_id: small.id,
      });
      try {
        const over = await api.post(`/api/issuances/${security.id}/conversions`, {
          date: '2024-06-01',
          to_share_class_id: small.id,
        });
        expect([over.status, over.body.code]).toEqual([409, 'AUTHORIZED_SHARES_EXCEEDED']);
        expect(await issued(small.id)).toBe(0);
        expect((await api.get(`/api/issuances/${security.id}`)).body.status).toBe('OUTSTANDING');
      } finally {
        await api.patch(`/api/share-classes/${preferred.id}`, {
          converts_to_share_class_id: common.id,
        });
      }
    });

    it('checks the conversion rights of a class', async () => {
      const self = await api.patch(`/api/share-classes/${common.id}`, {
        converts_to_share_class_id: common.id,
      });
      expect([self.status, self.body.errors[0].field]).toEqual([400, 'converts_to_share_class_id']);
      const unknown = await api.patch(`/api/share-classes/${common.id}`, {
        converts_to_share_class_id: '00000000-0000-4000-8000-00000000abcd',
      });
      expect([unknown.status, unknown.body.errors[0].field]).toEqual([
        404,
        'converts_to_share_class_id',
      ]);
      const zero = await api.patch(`/api/share-classes/${preferred.id}`, {
        conversion_denominator: 0,
      });
      expect([zero.status, zero.body.errors[0].field]).toEqual([400, 'conversion_denominator']);
      const shown = await api.get(`/api/share-classes/${preferred.id}`);
      expect(shown.body).toMatchObject({
        converts_to_share_class_id: common.id,
        conversion_numerator: 3,
        conversion_denominator: 2,
      });
    });
  });

  it('reconciles a company ledger after every kind of transaction, and names a corruption', async () => {
    // A company of its own, so that only this test's ledger is reconciled.
    const { at, post } = await inNewCompany('Reconciled Ltd');
    const common = await post('/share-classes/', {
      name: 'Common',
      type: 'COMMON',
      authorized_shares: 100_000,
      par_value: '0.01',
      votes_per_share: 1,
      certificate_prefix: 'RC',
    });
    const preferred = await post('/share-classes/', {
      name: 'Preferred',
      type: 'PREFERRED',
      authorized_shares: 100_000,
      par_value: '0.01',
      votes_per_share: 1,
      certificate_prefix: 'RP',
      converts_to_share_class_id: common.id,
    });
    const [a, b, c] = await Promise.all(
      ['A', 'B', 'C'].map((n) =>
        post('/shareholders/', {
          name: `Holder ${n}`,
          email: `${unique(n).toLowerCase()}@example.com`,
        }),
      ),
    );
    const issue = (holder: { id: string }, shareClass: { id: string }, shares: number) =>
      post('/issuances/', {
        shareholder_id: holder.id,
        share_class_id: shareClass.id,
        number_of_shares: shares,
        price: '1',
        date: '2024-01-01',
      });
    const s1 = await issue(a, common, 1000);
    const s2 = await issue(b, preferred, 300);
    const s3 = await issue(c, common, 50);
    const transfer = await post(`/issuances/${s1.id}/transfers`, {
      date: '2024-02-01',
      transfers: [{ to_shareholder_id: b.id, quantity: 400 }],
    });
    await post(`/issuances/${transfer.balance.id}/cancellations`, {
      date: '2024-03-01',
      quantity: 100,
      reason: 'Forfeited',
    });
    await post(`/issuances/${s2.id}/conversions`, {
      date: '2024-04-01',
      to_share_class_id: common.id,
      quantity: 100,
    });
    await post(`/issuances/${s3.id}/repurchases`, {
      date: '2024-05-01',
      quantity: 50,
      price_per_share: '2',
    });
    await post(`/issuances/${transfer.resulting[0].id}/reissuances`, {
      date: '2024-06-01',
      reason: 'Lost',
    });

    const reconcile = () => api.get(at('/ledger/reconciliation'));
    const clean = await eventually(async () => {
      const response = await reconcile();
      expect(response.status).toBe(200);
      return response.body.ok === true && response.body.checked.pending_certificates === 0
        ? response.body
        : undefined;
    }, 30_000);
    expect(clean.mismatches).toEqual([]);
    // 3 issued; the transfer's balance and resulting, the cancellation's balance, the conversion's
    // balance and resulting, the reissuance's resulting (the repurchase left nothing).
    expect(clean.checked).toMatchObject({ securities: 9, transactions: 5, classes: 2 });
    expect(typeof clean.took_ms).toBe('number');

    // A class total and a security changed behind the service's back are named.
    await db().query('UPDATE share_class SET issued_shares = issued_shares - 7 WHERE id = $1', [
      common.id,
    ]);
    await db().query(
      `UPDATE issuance SET status = 'OUTSTANDING', spent_by_transaction_id = NULL, spent_on = NULL
        WHERE id = $1`,
      [s3.id],
    );
    const corrupt = (await reconcile()).body;
    expect(corrupt.ok).toBe(false);
    const kinds = (corrupt.mismatches as Array<{ kind: string }>).map((m) => m.kind);
    expect(kinds).toEqual(
      expect.arrayContaining(['SECURITY_STATUS', 'HOLDER_POSITION', 'CLASS_TOTAL']),
    );
    expect(corrupt.mismatches).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'SECURITY_STATUS', security_id: s3.id }),
        expect.objectContaining({
          kind: 'HOLDER_POSITION',
          shareholder_id: c.id,
          share_class_id: common.id,
          expected: '0',
          actual: '50',
        }),
        expect.objectContaining({ kind: 'CLASS_TOTAL', share_class_id: common.id }),
      ]),
    );
  });

  it('splits a class 3-for-2: odd holdings rounded down, fractions paid in cash, totals and certificates follow', async () => {
    const { at, post } = await inNewCompany('Split Ltd');
    const shareClass = await post('/share-classes/', {
      name: 'Common',
      type: 'COMMON',
      authorized_shares: 1001,
      par_value: '0.01',
      votes_per_share: 1,
      certificate_prefix: 'SP',
    });
    const holdersOf = await Promise.all(
      [1, 2, 3].map((n) =>
        post('/shareholders/', {
          name: `Split ${n}`,
          email: `${unique('split').toLowerCase()}@example.com`,
        }),
      ),
    );
    // 101 + 200 + 1 shares: 3-for-2 gives 151.5, 300 and 1.5.
    const securities = [];
    for (const [holder, shares] of [
      [holdersOf[0], 101],
      [holdersOf[1], 200],
      [holdersOf[2], 1],
    ] as const) {
      securities.push(
        await post('/issuances/', {
          shareholder_id: holder.id,
          share_class_id: shareClass.id,
          number_of_shares: shares,
          price: '3',
          date: '2024-01-01',
        }),
      );
    }
    for (const security of securities) await waitForCertificate(security.id);

    const noPrice = await api.post(at(`/share-classes/${shareClass.id}/splits`), {
      date: '2024-07-01',
      numerator: 3,
      denominator: 2,
    });
    expect([noPrice.status, noPrice.body.errors[0].field]).toEqual([
      400,
      'fraction_price_per_share',
    ]);
    const early = await api.post(at(`/share-classes/${shareClass.id}/splits`), {
      date: '2023-12-31',
      numerator: 3,
      denominator: 2,
      fraction_price_per_share: '2',
    });
    expect([early.status, early.body.code]).toEqual([422, 'TRANSACTION_DATE_INVALID']);
    const same = await api.post(at(`/share-classes/${shareClass.id}/splits`), {
      date: '2024-07-01',
      numerator: 2,
      denominator: 2,
    });
    expect([same.status, same.body.errors[0].field]).toEqual([400, 'numerator']);

    const split = await post(`/share-classes/${shareClass.id}/splits`, {
      date: '2024-07-01',
      numerator: 3,
      denominator: 2,
      fraction_price_per_share: '2',
    });
    expect(split).toMatchObject({
      numerator: 3,
      denominator: 2,
      authorized_shares_before: 1001,
      authorized_shares_after: 1501,
      outstanding_before: 302,
      outstanding_after: 452,
      securities: 3,
      paid_out_entirely: 0,
      fraction_cash_total: '2', // two half shares at 2
    });
    const table = (asOf: string) => api.get(at(`/cap-table?as_of=${asOf}`));
    const after = (await table('2024-07-01')).body;
    expect(after.totals.issued_shares).toBe(452);
    expect(
      (after.holders as Array<{ shareholder_id: string; total_shares: number }>)
        .map((h) => [h.shareholder_id, h.total_shares])
        .sort(),
    ).toEqual(
      [
        [holdersOf[0].id, 151],
        [holdersOf[1].id, 300],
        [holdersOf[2].id, 1],
      ].sort(),
    );
    expect((await table('2024-06-30')).body.totals.issued_shares).toBe(302);
    const classAfter = (await api.get(at(`/share-classes/${shareClass.id}`))).body;
    expect(classAfter).toMatchObject({ authorized_shares: 1501, issued_shares: 452 });

    const reissues = await api.get(
      at(`/transactions/?kind=REISSUANCE&share_class_id=${shareClass.id}`),
    );
    expect(reissues.body.items).toHaveLength(3);
    for (const security of securities) {
      const spent = (await api.get(at(`/issuances/${security.id}`))).body;
      expect(spent).toMatchObject({ status: 'REISSUED', spent_on: '2024-07-01' });
    }
    // The old certificates are cancelled, the new securities get theirs; the ledger reconciles.
    const reconciled = await eventually(async () => {
      const body = (await api.get(at('/ledger/reconciliation'))).body;
      return body.ok && body.checked.pending_certificates === 0 ? body : undefined;
    }, 30_000);
    expect(reconciled.checked).toMatchObject({ securities: 6, transactions: 3 });
    expect(
      await count(
        `SELECT 1 FROM certificate WHERE issuance_id = ANY($1) AND status = 'cancelled'`,
        [securities.map((s) => s.id)],
      ),
    ).toBe(3);
    // A later issuance into the split class waits for nothing and is not split again.
    const later = await post('/issuances/', {
      shareholder_id: holdersOf[0].id,
      share_class_id: shareClass.id,
      number_of_shares: 10,
      price: '2',
      date: '2024-08-01',
    });
    expect(later.status).toBe('OUTSTANDING');
  });

  it('dates authorized-share adjustments, never below what was outstanding from then on', async () => {
    const { at, post } = await inNewCompany('Authorized Ltd');
    const shareClass = await post('/share-classes/', {
      name: 'Common',
      type: 'COMMON',
      authorized_shares: 1000,
      par_value: '0.01',
      votes_per_share: 1,
      certificate_prefix: 'AU',
    });
    const holder = await post('/shareholders/', {
      name: 'Holder',
      email: `${unique('authorized').toLowerCase()}@example.com`,
    });
    for (const [shares, date] of [
      [600, '2024-01-01'],
      [300, '2024-06-01'],
    ] as const)
      await post('/issuances/', {
        shareholder_id: holder.id,
        share_class_id: shareClass.id,
        number_of_shares: shares,
        price: '1',
        date,
      });
    const adjust = (body: object) =>
      api.post(at(`/share-classes/${shareClass.id}/authorized-shares-adjustments`), body);

    // 700 from March on would be below the 900 outstanding since June.
    const below = await adjust({ date: '2024-03-01', authorized_shares: 700 });
    expect([below.status, below.body.code, below.body.errors[0].field]).toEqual([
      409,
      'AUTHORIZED_BELOW_ISSUED',
      'authorized_shares',
    ]);
    expect(below.body.outstanding_shares).toBe(900);
    const raised = await adjust({
      date: '2024-03-01',
      authorized_shares: 2000,
      board_approval_date: '2024-02-20',
    });
    expect(raised.status).toBe(201);
    expect(raised.body).toMatchObject({
      authorized_shares: 2000,
      previous_authorized_shares: 1000,
      board_approval_date: '2024-02-20',
    });
    expect((await api.get(at(`/share-classes/${shareClass.id}`))).body.authorized_shares).toBe(
      2000,
    );
    for (const [date, status] of [
      ['2024-02-01', 422], // before the latest change
      ['2024-03-01', 422], // the same date
      ['2999-01-01', 422], // in the future
    ] as const) {
      const refused = await adjust({ date, authorized_shares: 3000 });
      expect([refused.status, refused.body.errors[0].field]).toEqual([status, 'date']);
    }
    const reconciled = (await api.get(at('/ledger/reconciliation'))).body;
    expect(
      reconciled.mismatches.filter((m: { kind: string }) => m.kind === 'AUTHORIZED_EXCEEDED'),
    ).toEqual([]);
  });

  it('repurchases shares at an exact total', async () => {
    const { shareClass, people } = await given(1);
    const holder = people[0] as { id: string };
    const security = await givenIssuance(api, {
      shareholder_id: holder.id,
      share_class_id: shareClass.id,
      number_of_shares: 10,
      price: '1',
      date: '2024-01-01',
    });
    const response = await api.post(`/api/issuances/${security.id}/repurchases`, {
      date: '2024-05-01',
      quantity: 3,
      price_per_share: 0.1,
    });
    expect(response.status).toBe(201);
    expect(response.body.transaction).toMatchObject({
      kind: 'REPURCHASE',
      quantity: 3,
      price_per_share: '0.1',
      total_amount: '0.3',
      currency: 'EUR',
    });
    expect(response.body.spent.status).toBe('REPURCHASED');
    expect(response.body.balance.number_of_shares).toBe(7);
    const { rows } = await db().query(
      'SELECT total_amount::text FROM stock_transaction WHERE id = $1',
      [response.body.transaction.id],
    );
    expect(rows[0].total_amount).toMatch(/^0\.30*$/);
  });

  it('reissues a holding under a new certificate, the old one cancelled', async () => {
    const { shareClass, people } = await given(1);
    const holder = people[0] as { id: string };
    const security = await givenIssuance(api, {
      shareholder_id: holder.id,
      share_class_id: shareClass.id,
      number_of_shares: 250,
      price: '4',
      date: '2024-01-01',
    });
    const old = await waitForCertificate(security.id);
    const response = await api.post(`/api/issuances/${security.id}/reissuances`, {
      date: today(),
      reason: 'Certificate lost',
    });
    expect(response.status).toBe(201);
    expect(response.body.balance).toBeNull();
    const [fresh] = response.body.resulting as Security[];
    expect(fresh).toMatchObject({
      shareholder_id: holder.id,
      number_of_shares: 250,
      price: '4',
      status: 'OUTSTANDING',
    });
    const freshCertificate = await waitForCertificate(fresh?.id);
    expect(freshCertificate.status).toBe('active');
    expect(freshCertificate.certificate_number).not.toBe(old.certificate_number);
    await eventually(async () =>
      (await certificateOf(security.id))?.status === 'cancelled' ? true : undefined,
    );
    const current = await api.get(`/api/issuances/${security.id}/certificate/`);
    expect(current.status).toBe(409);
    expect(current.body.code).toBe('CERTIFICATE_CANCELLED');
    expect(await positions(shareClass.id)).toEqual({ [holder.id]: 250 });
  });

  it('replays a transaction for the same Idempotency-Key', async () => {
    const { shareClass, people } = await given(2);
    const [holder, to] = holders(people, 2) as [Holder, Holder];
    const security = await givenIssuance(api, {
      shareholder_id: holder.id,
      share_class_id: shareClass.id,
      number_of_shares: 10,
      price: '1',
      date: '2024-01-01',
    });
    const body = { date: '2024-02-01', transfers: [{ to_shareholder_id: to.id, quantity: 4 }] };
    const headers = { 'idempotency-key': `transfer-${security.id}` };
    const [first, second] = await Promise.all([
      api.post(`/api/issuances/${security.id}/transfers`, body, 'admin', headers),
      api.post(`/api/issuances/${security.id}/transfers`, body, 'admin', headers),
    ]);
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body.transaction.id).toBe(first.body.transaction.id);
    expect([first, second].filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(
      1,
    );
    expect(
      await count('SELECT 1 FROM stock_transaction WHERE security_id = $1', [security.id]),
    ).toBe(1);
  });

  describe('refuses bad input with a problem naming the field, and changes nothing', () => {
    let security: { id: string };
    let holder: { id: string };
    let other: { id: string };

    beforeAll(async () => {
      const { shareClass, people } = await given(2);
      [holder, other] = holders(people, 2) as [Holder, Holder];
      security = await givenIssuance(api, {
        shareholder_id: holder.id,
        share_class_id: shareClass.id,
        number_of_shares: 100,
        price: '1',
        date: '2024-06-01',
      });
    });

    const unchanged = async () => {
      expect(
        await count('SELECT 1 FROM stock_transaction WHERE security_id = $1', [security.id]),
      ).toBe(0);
      const shown = await api.get(`/api/issuances/${security.id}`);
      expect(shown.body.status).toBe('OUTSTANDING');
    };

    it.each([
      [
        'more than the security holds',
        { quantity: 101 },
        422,
        'QUANTITY_EXCEEDS_SECURITY',
        'quantity',
      ],
      ['zero shares', { quantity: 0 }, 400, 'VALIDATION_FAILED', 'quantity'],
      ['a negative quantity', { quantity: -5 }, 400, 'VALIDATION_FAILED', 'quantity'],
      ['a fraction of a share', { quantity: 1.5 }, 400, 'VALIDATION_FAILED', 'quantity'],
      [
        'a date before the security',
        { date: '2024-05-31' },
        422,
        'TRANSACTION_DATE_INVALID',
        'date',
      ],
      ['a date in the future', { date: '2999-01-01' }, 422, 'TRANSACTION_DATE_INVALID', 'date'],
      ['no date', { date: undefined }, 400, 'VALIDATION_FAILED', 'date'],
      ['no reason', { reason: '' }, 400, 'VALIDATION_FAILED', 'reason'],
    ])('a cancellation with %s', async (_what, change, status, code, field) => {
      const body = { date: '2024-07-01', quantity: 10, reason: 'Test', ...change };
      const response = await api.post(`/api/issuances/${security.id}/cancellations`, body);
      expect(response.status).toBe(status);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.body.code).toBe(code);
      expect((response.body.errors as Array<{ field: string }>).map((e) => e.field)).toContain(
        field,
      );
      await unchanged();
    });

    it('a transfer to an unknown holder, to the holder, twice to one holder, or over the holding', async () => {
      const ghost = '00000000-0000-4000-8000-00000000abcd';
      const cases: Array<[object[], number, string, string]> = [
        [
          [{ to_shareholder_id: ghost, quantity: 1 }],
          404,
          'SHAREHOLDER_NOT_FOUND',
          'transfers.0.to_shareholder_id',
        ],
        [
          [{ to_shareholder_id: holder.id, quantity: 1 }],
          400,
          'VALIDATION_FAILED',
          'transfers.0.to_shareholder_id',
        ],
        [
          [
            { to_shareholder_id: other.id, quantity: 1 },
            { to_shareholder_id: other.id, quantity: 1 },
          ],
          400,
          'VALIDATION_FAILED',
          'transfers.1.to_shareholder_id',
        ],
        [
          [
            { to_shareholder_id: other.id, quantity: 60 },
            { to_shareholder_id: ghost, quantity: 50 },
          ],
          422,
          'QUANTITY_EXCEEDS_SECURITY',
          'transfers',
        ],
        [[], 400, 'VALIDATION_FAILED', 'transfers'],
        [
          [{ to_shareholder_id: 'nope', quantity: 1 }],
          400,
          'VALIDATION_FAILED',
          'transfers.0.to_shareholder_id',
        ],
      ];
      for (const [transfers, status, code, field] of cases) {
        const response = await api.post(`/api/issuances/${security.id}/transfers`, {
          date: '2024-07-01',
          transfers,
        });
        expect([response.status, response.body.code]).toEqual([status, code]);
        expect((response.body.errors as Array<{ field: string }>).map((e) => e.field)).toContain(
          field,
        );
      }
      await unchanged();
    });

    it('an unknown security (404), or a caller who is not an admin (403)', async () => {
      const ghost = '00000000-0000-4000-8000-00000000dcba';
      const unknown = await api.post(`/api/issuances/${ghost}/reissuances`, {
        date: '2024-07-01',
        reason: 'x',
      });
      expect([unknown.status, unknown.body.code]).toEqual([404, 'ISSUANCE_NOT_FOUND']);
      for (const caller of ['auditor', 'shareholder1'] as const) {
        const refused = await api.post(
          `/api/issuances/${security.id}/reissuances`,
          { date: '2024-07-01', reason: 'x' },
          caller,
        );
        expect(refused.status).toBe(403);
      }
      await unchanged();
    });
  });

  it('lists the ledger in effective order, filtered and paged, issuances included', async () => {
    const { shareClass, people } = await given(2);
    const [holder, to] = holders(people, 2) as [Holder, Holder];
    const security = await givenIssuance(api, {
      shareholder_id: holder.id,
      share_class_id: shareClass.id,
      number_of_shares: 50,
      price: '1',
      date: '2023-01-01',
    });
    const transfer = await api.post(`/api/issuances/${security.id}/transfers`, {
      date: '2023-02-01',
      transfers: [{ to_shareholder_id: to.id, quantity: 20 }],
    });
    const balanceId = transfer.body.balance.id as string;
    const cancellation = await api.post(`/api/issuances/${balanceId}/cancellations`, {
      date: '2023-03-01',
      quantity: 30,
      reason: 'Forfeited',
    });
    expect(cancellation.status).toBe(201);

    const ledger = await api.get(`/api/transactions/?share_class_id=${shareClass.id}`, 'auditor');
    expect(ledger.status).toBe(200);
    expect(ledger.body.items.map((t: { kind: string; date: string }) => [t.kind, t.date])).toEqual([
      ['ISSUANCE', '2023-01-01'],
      ['TRANSFER', '2023-02-01'],
      ['CANCELLATION', '2023-03-01'],
    ]);
    const first = await api.get(`/api/transactions/?share_class_id=${shareClass.id}&limit=2`);
    expect(first.body.items).toHaveLength(2);
    const next = await api.get(
      `/api/transactions/?share_class_id=${shareClass.id}&limit=2&cursor=${first.body.next_cursor}`,
    );
    expect(next.body.items.map((t: { kind: string }) => t.kind)).toEqual(['CANCELLATION']);
    expect(next.body.next_cursor).toBeNull();
    const received = await api.get(`/api/transactions/?shareholder_id=${to.id}`);
    expect(received.body.items.map((t: { kind: string }) => t.kind)).toEqual(['TRANSFER']);
    const kinds = await api.get(`/api/transactions/?kind=CANCELLATION&security_id=${balanceId}`);
    expect(kinds.body.items.map((t: { id: string }) => t.id)).toEqual([
      cancellation.body.transaction.id,
    ]);
    const one = await api.get(`/api/transactions/${transfer.body.transaction.id}`);
    expect(one.body).toMatchObject({ kind: 'TRANSFER', quantity: 20, security_id: security.id });
    expect((await api.get(`/api/transactions/${security.id}`)).body.kind).toBe('ISSUANCE');
    expect((await api.get('/api/transactions/', 'shareholder1')).status).toBe(403);
    const csv = await api.get(
      `/api/transactions/?share_class_id=${shareClass.id}&format=csv&limit=2`,
    );
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['x-next-cursor']).toBe(first.body.next_cursor);
    const lines = csv.text.trim().split(/\r?\n/);
    expect(lines[0]?.split(',').slice(0, 4)).toEqual(['id', 'kind', 'date', 'recorded_at']);
    expect(lines.slice(1).map((line) => line.split(',')[1])).toEqual(['ISSUANCE', 'TRANSFER']);
    const recordedAt = transfer.body.transaction.recorded_at as string;
    const recorded = await api.get(
      `/api/transactions/?share_class_id=${shareClass.id}&recorded_from=${encodeURIComponent(recordedAt)}&recorded_to=${encodeURIComponent(recordedAt)}`,
    );
    expect(recorded.body.items.map((t: { kind: string }) => t.kind)).toEqual(['TRANSFER']);
    const badCursor = await api.get('/api/transactions/?cursor=abc');
    expect(badCursor.status).toBe(400);
  });
});
