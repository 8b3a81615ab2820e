import { randomUUID } from 'node:crypto';
import request from 'supertest';
import {
  Api,
  givenCompany,
  givenIssuance,
  givenShareClass,
  givenShareholder,
  givenShareholderOneRecord,
} from '../support/api';
import { startApp, TestApp } from '../support/app';
import { closeDb } from '../support/db';
import { download, StoredCertificate, waitForCertificate } from '../support/pdf';

/** Who may read which certificate: admins and auditors all, a shareholder only their own. */
describe('share certificate access', () => {
  let testApp: TestApp;
  let api: Api;
  let holder: { id: string };
  let issuance: { id: string };
  let ownIssuance: { id: string };
  let certificate: StoredCertificate;

  const server = () => testApp.app.getHttpServer();

  beforeAll(async () => {
    testApp = await startApp();
    api = new Api(testApp);
    await givenCompany(api);
    const shareClass = await givenShareClass(api);
    holder = await givenShareholder(api);
    const one = await givenShareholderOneRecord(api);
    issuance = await givenIssuance(api, {
      shareholder_id: holder.id,
      share_class_id: shareClass.id,
      number_of_shares: 7,
    });
    ownIssuance = await givenIssuance(api, {
      shareholder_id: one.id,
      share_class_id: shareClass.id,
      number_of_shares: 10,
    });
    certificate = await waitForCertificate(issuance.id);
    await waitForCertificate(ownIssuance.id);
  });
  afterAll(async () => {
    await testApp.close();
    await closeDb();
  });

  it('serves the owner, refuses another holder with 403 and an unknown issuance with 404', async () => {
    const own = await download(
      server(),
      `/api/issuances/${ownIssuance.id}/certificate`,
      'shareholder1',
    );
    expect(own.status).toBe(200);
    expect(own.headers['content-type']).toBe('application/pdf');

    for (const [path, caller] of [
      [`/api/issuances/${issuance.id}/certificate`, 'shareholder1'],
      [`/api/issuances/${ownIssuance.id}/certificate`, 'shareholder2'],
      [`/api/certificates/${certificate.id}`, 'shareholder1'],
      [`/api/certificates/${certificate.id}/content`, 'shareholder2'],
    ] as const) {
      const refused = await api.get(path, caller);
      expect(refused.status).toBe(403);
      expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    }
    const unknown = await api.get(`/api/issuances/${randomUUID()}/certificate`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('ISSUANCE_NOT_FOUND');
    const unknownCertificate = await api.get(`/api/certificates/${randomUUID()}`);
    expect(unknownCertificate.body.code).toBe('CERTIFICATE_NOT_FOUND');
    expect((await request(server()).get(`/api/issuances/${issuance.id}/certificate`)).status).toBe(
      401,
    );
  });

  it('lists all certificates for admins and auditors, and only their own for a shareholder', async () => {
    const byIssuance = await api.get(`/api/certificates/?issuance_id=${issuance.id}`, 'auditor');
    expect(byIssuance.body.map((c: { id: string }) => c.id)).toEqual([certificate.id]);
    expect(byIssuance.headers['x-total-count']).toBe('1');

    const mine = await api.get('/api/certificates/?limit=500', 'shareholder1');
    expect(mine.status).toBe(200);
    const one = await givenShareholderOneRecord(api);
    expect(mine.body.length).toBeGreaterThan(0);
    expect(mine.body.every((c: { shareholder_id: string }) => c.shareholder_id === one.id)).toBe(
      true,
    );
    const foreign = await api.get(`/api/certificates/?shareholder_id=${holder.id}`, 'shareholder1');
    expect(foreign.body).toEqual([]);
    expect((await api.get('/api/certificates/', 'shareholder2')).body).toEqual([]);
  });
});
