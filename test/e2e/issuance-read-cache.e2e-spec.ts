import { IssuanceReadCache } from '../../src/issuances/issuance-read-cache';
import {
  Api,
  givenCompany,
  givenIssuance,
  givenShareClass,
  givenShareholder,
} from '../support/api';
import { startApp, TestApp } from '../support/app';
import { closeDb, db } from '../support/db';
import { download } from '../support/pdf';
import { createTemporaryUser, TemporaryUser } from '../support/keycloak-admin';
import { decodeJwtPart } from '../support/keycloak';
import { eventually } from '../support/wait';

/**
 * Gives the issuance a certificate number without firing triggers (the number lives in
 * certificate_assignment): a change the read cache cannot hear of.
 */
async function silentlySetCertificateNumber(issuanceId: string, value: string): Promise<void> {
  const client = await db().connect();
  try {
    await client.query('BEGIN');
    await client.query('SET LOCAL session_replication_role = replica');
    await client.query(
      `INSERT INTO certificate_assignment (company_id, issuance_id, share_class_id, sequence, certificate_number)
       SELECT company_id, id, share_class_id,
              -- far above what the class counter reaches here, so real numbering never collides
              (SELECT 1000000000 + count(*) FROM certificate_assignment), $2
         FROM issuance WHERE id = $1
       ON CONFLICT (company_id, issuance_id) DO UPDATE SET certificate_number = EXCLUDED.certificate_number`,
      [issuanceId, value],
    );
    await client.query('COMMIT');
  } finally {
    client.release();
  }
}

/**
 * GET /api/issuances/{id} answers repeated reads from memory; two instances share the database and
 * each must forget what another one changed.
 */
describe('issuance read cache', () => {
  let appA: TestApp;
  let appB: TestApp;
  let apiA: Api;
  let apiB: Api;
  let classId: string;
  let holderId: string;
  const cacheOf = (app: TestApp) => app.app.get(IssuanceReadCache);

  const issue = async (shareholderId = holderId) =>
    givenIssuance(apiA, {
      shareholder_id: shareholderId,
      share_class_id: classId,
      number_of_shares: 10,
    });

  beforeAll(async () => {
    appA = await startApp({ OUTBOX_RELAY_ENABLED: false });
    appB = await startApp({ OUTBOX_RELAY_ENABLED: false });
    apiA = new Api(appA);
    apiB = new Api(appB);
    await givenCompany(apiA);
    classId = (await givenShareClass(apiA)).id;
    holderId = (await givenShareholder(apiA)).id;
    await eventually(
      () => Promise.resolve(cacheOf(appA).active && cacheOf(appB).active ? true : undefined),
      5_000,
      'both read caches listening',
    );
  });
  afterAll(async () => {
    await appA.close();
    await appB?.close();
    await closeDb();
  });

  it('answers a repeated read from memory', async () => {
    const issuance = await issue();
    expect((await apiA.get(`/api/issuances/${issuance.id}`)).body.certificate_number).toBeNull();
    await silentlySetCertificateNumber(issuance.id, 'SILENT-1');
    // Unheard of, so still the remembered answer here; instance B reads the database.
    expect((await apiA.get(`/api/issuances/${issuance.id}`)).body.certificate_number).toBeNull();
    expect((await apiB.get(`/api/issuances/${issuance.id}`)).body.certificate_number).toBe(
      'SILENT-1',
    );
  });

  it('shows a certificate number given through another instance', async () => {
    const issuance = await issue();
    expect((await apiA.get(`/api/issuances/${issuance.id}`)).body.certificate_number).toBeNull();
    const pdf = await download(apiB.server, `/api/issuances/${issuance.id}/certificate`);
    expect(pdf.status).toBe(200);
    const { rows } = await db().query<{ certificate_number: string }>(
      'SELECT certificate_number FROM certificate WHERE issuance_id = $1',
      [issuance.id],
    );
    const number = rows[0]?.certificate_number;
    expect(number).toEqual(expect.any(String));
    await eventually(
      async () => {
        const read = await apiA.get(`/api/issuances/${issuance.id}`);
        return read.body.certificate_number === number ? true : undefined;
      },
      2_000,
      `certificate number ${number} on instance A`,
    );
  });

  it('shows a spent security as spent right after the transfer, on both instances', async () => {
    const issuance = await issue();
    const path = `/api/issuances/${issuance.id}`;
    const to = (await givenShareholder(apiA)).id;
    for (const api of [apiA, apiB]) {
      for (let read = 0; read < 2; read += 1)
        expect((await api.get(path)).body.status).toBe('OUTSTANDING');
    }
    const transfer = await apiA.post(`${path}/transfers`, {
      date: new Date().toISOString().slice(0, 10),
      transfers: [{ to_shareholder_id: to, quantity: 4 }],
    });
    expect(transfer.status).toBe(201);
    // The transfer's notification leaves after its commit (and this instance forgets at once).
    expect((await apiA.get(path)).body.status).toBe('TRANSFERRED');
    await eventually(
      async () => ((await apiB.get(path)).body.status === 'TRANSFERRED' ? true : undefined),
      2_000,
      'the transfer heard on instance B',
    );
  });

  describe('for a holder', () => {
    let user: TemporaryUser;
    let token: string;
    let ownHolderId: string;

    beforeAll(async () => {
      user = await createTemporaryUser('shareholder');
      token = await user.token();
      ownHolderId = (await givenShareholder(apiA)).id;
      const linked = await apiA.patch(`/api/shareholders/${ownHolderId}`, {
        user_id: decodeJwtPart(token, 1).sub,
      });
      expect(linked.status).toBe(200);
    });
    afterAll(() => user?.remove());

    it('stops answering once another instance unlinks the holder from the user', async () => {
      const issuance = await issue(ownHolderId);
      const path = `/api/issuances/${issuance.id}`;
      await apiA.get(path, { token }).then((r) => expect(r.status).toBe(200));
      await apiA.get(path, { token }).then((r) => expect(r.status).toBe(200));
      const unlinked = await apiB.patch(`/api/shareholders/${ownHolderId}`, { user_id: null });
      expect(unlinked.status).toBe(200);
      await eventually(
        async () => ((await apiA.get(path, { token })).status === 403 ? true : undefined),
        2_000,
        '403 for the unlinked user on instance A',
      );
    });

    it('never answers another holder from memory', async () => {
      const issuance = await issue();
      const path = `/api/issuances/${issuance.id}`;
      expect((await apiA.get(path)).status).toBe(200);
      expect((await apiA.get(path, { token })).status).toBe(403);
    });
  });

  it('answers from the database while its notification connection is down', async () => {
    const issuance = await issue();
    const path = `/api/issuances/${issuance.id}`;
    expect((await apiA.get(path)).body.certificate_number).toBeNull();
    await db().query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE application_name = 'corporate-os-read-cache' AND datname = current_database()`,
    );
    await eventually(
      () => Promise.resolve(cacheOf(appA).active ? undefined : true),
      5_000,
      'the read cache to stop answering',
    );
    await silentlySetCertificateNumber(issuance.id, 'SILENT-2');
    expect((await apiA.get(path)).body.certificate_number).toBe('SILENT-2');
    // Listening again: remembers afresh.
    await eventually(
      () => Promise.resolve(cacheOf(appA).active ? true : undefined),
      5_000,
      'the read cache listening again',
    );
    expect((await apiA.get(path)).body.certificate_number).toBe('SILENT-2');
    await silentlySetCertificateNumber(issuance.id, 'SILENT-3');
    expect((await apiA.get(path)).body.certificate_number).toBe('SILENT-2');
  });

  it('can be turned off', async () => {
    const app = await startApp({ OUTBOX_RELAY_ENABLED: false, ISSUANCE_CACHE_SIZE: 0 });
    try {
      const api = new Api(app);
      const issuance = await issue();
      expect((await api.get(`/api/issuances/${issuance.id}`)).body.certificate_number).toBeNull();
      await silentlySetCertificateNumber(issuance.id, 'SILENT-4');
      expect((await api.get(`/api/issuances/${issuance.id}`)).body.certificate_number).toBe(
        'SILENT-4',
      );
      expect(cacheOf(app).active).toBe(false);
    } finally {
      await app.close();
    }
  });
});
