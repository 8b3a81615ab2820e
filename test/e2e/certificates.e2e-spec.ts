import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { RenderCertificateOnIssuanceCreatedListener } from '../../src/certificates/listeners/render-certificate-on-issuance-created.listener';
import type { DeliveredEvent } from '../../src/events/delivered-event';
import { OutboxRelay } from '../../src/events/outbox-relay';
import {
  Api,
  givenCompany,
  givenIssuance,
  givenShareClass,
  givenShareholder,
  givenShareholderOneRecord,
} from '../support/api';
import { startApp, TestApp } from '../support/app';
import { closeDb, count, db } from '../support/db';
import { download, pdfText, sha256, StoredCertificate, waitForCertificate } from '../support/pdf';
import { eventually } from '../support/wait';
import { CompanyContext } from '../../src/core/tenancy/company-context';

const LEGEND = 'THESE SHARES ARE SUBJECT TO THE TRANSFER RESTRICTIONS IN THE ARTICLES.';

describe('share certificates', () => {
  let testApp: TestApp;
  let api: Api;
  let shareClass: { id: string; name: string; certificate_prefix: string };
  let holder: { id: string; name: string };
  let ownIssuance: { id: string };
  let issuance: { id: string };
  let certificate: StoredCertificate;

  const server = () => testApp.app.getHttpServer();

  beforeAll(async () => {
    testApp = await startApp();
    api = new Api(testApp);
    await givenCompany(api);
    shareClass = await givenShareClass(api, { legend_text: LEGEND });
    holder = await givenShareholder(api, { name: `Grace Hopper ${randomUUID().slice(0, 4)}` });
    const one = await givenShareholderOneRecord(api);
    issuance = await givenIssuance(api, {
      shareholder_id: holder.id,
      share_class_id: shareClass.id,
      number_of_shares: 1234,
      price: '1.5',
      date: '2024-06-30',
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

  it('renders the certificate of a new issuance once, numbered per class, through the relay', async () => {
    expect(certificate).toMatchObject({
      certificate_number: `${shareClass.certificate_prefix}-000001`,
      version: 1,
      status: 'active',
    });
    expect(await count('SELECT 1 FROM certificate WHERE issuance_id = $1', [issuance.id])).toBe(1);
    const shown = await api.get(`/api/issuances/${issuance.id}`);
    expect(shown.body.certificate_number).toBe(certificate.certificate_number);
    expect(
      await count(
        `SELECT 1 FROM outbox_event WHERE type = 'certificate.generated' AND aggregate_id = $1`,
        [certificate.id],
      ),
    ).toBe(1);
  });

  it('does nothing new when the same issuance.created event is delivered again', async () => {
    const { rows } = await db().query(
      `SELECT * FROM outbox_event WHERE type = 'issuance.created' AND aggregate_id = $1`,
      [issuance.id],
    );
    const row = rows[0];
    const event: DeliveredEvent<'issuance.created'> = {
      companyId: row.company_id,
      id: row.id,
      type: 'issuance.created',
      aggregateType: row.aggregate_type,
      aggregateId: row.aggregate_id,
      payload: row.payload,
      actor: row.actor,
      requestId: row.request_id,
      occurredAt: row.occurred_at,
    };
    const listener = testApp.app.get(RenderCertificateOnIssuanceCreatedListener);
    // As the relay delivers it: for the event's company.
    await CompanyContext.run(row.company_id, () =>
      Promise.all([listener.handle(event), listener.handle(event)]),
    );

    await db().query(
      `UPDATE outbox_event SET delivered_at = NULL, claimed_by = NULL, next_attempt_at = now()
        WHERE id = $1`,
      [row.id],
    );
    testApp.app.get(OutboxRelay).wake();
    await eventually(
      async () =>
        (await count('SELECT 1 FROM outbox_event WHERE id = $1 AND delivered_at IS NOT NULL', [
          row.id,
        ])) === 1
          ? true
          : undefined,
      10_000,
      'the event to be redelivered',
    );

    expect(await count('SELECT 1 FROM certificate WHERE issuance_id = $1', [issuance.id])).toBe(1);
    expect(
      await count(
        'SELECT 1 FROM certificate_counter WHERE share_class_id = $1 AND last_sequence = 2',
        [shareClass.id],
      ),
    ).toBe(1);
    expect(
      await count(
        `SELECT 1 FROM outbox_event WHERE type = 'certificate.generated' AND aggregate_id = $1`,
        [certificate.id],
      ),
    ).toBe(1);
    expect(
      await count(
        `SELECT 1 FROM processed_event WHERE event_id = $1 AND consumer = 'certificates.render'`,
        [row.id],
      ),
    ).toBe(1);
  });

  it('prints company, number, holder, shares in digits and words, class, price, total and date', async () => {
    const response = await download(server(), `/api/issuances/${issuance.id}/certificate/`);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-disposition']).toContain(
      `certificate-${certificate.certificate_number}-v1.pdf`,
    );
    expect(response.headers.etag).toBe(`"${certificate.sha256}"`);
    expect(sha256(response.body)).toBe(certificate.sha256);
    const text = pdfText(response.body);
    for (const expected of [
      'Acme Robotics Ltd',
      certificate.certificate_number,
      holder.name,
      '1,234',
      'One thousand two hundred thirty-four',
      shareClass.name,
      'EUR 0.0001',
      'EUR 1.50',
      'EUR 1,851.00',
      '30 June 2024',
      LEGEND,
      certificate.verification_code.slice(0, 4),
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('answers 304 to If-None-Match with the current SHA-256', async () => {
    const response = await download(
      server(),
      `/api/issuances/${issuance.id}/certificate`,
      'admin',
      {
        'if-none-match': `"${certificate.sha256}"`,
      },
    );
    expect(response.status).toBe(304);
    expect(response.body.length).toBe(0);
  });

  it('gives the PDF in base64 with its SHA-256, byte for byte the download', async () => {
    const pdf = (await download(server(), `/api/certificates/${certificate.id}/content`)).body;
    for (const path of [
      `/api/certificates/${certificate.id}?encoding=base64`,
      `/api/certificates/${certificate.id}/content?encoding=base64`,
    ]) {
      const response = await api.get(path, 'auditor');
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        sha256: certificate.sha256,
        certificate_number: certificate.certificate_number,
        version: 1,
        status: 'active',
        content_type: 'application/pdf',
      });
      const decoded = Buffer.from(response.body.content_base64, 'base64');
      expect(decoded.equals(pdf)).toBe(true);
      expect(sha256(decoded)).toBe(certificate.sha256);
      expect(decoded.length).toBe(response.body.size_bytes);
    }
    const metadata = await api.get(`/api/certificates/${certificate.id}`);
    expect(metadata.body.content_base64).toBeUndefined();
    expect(metadata.body).toMatchObject({ shareholder_id: holder.id, specimen: true });
  });

  it('reissues as a new version of the same number; the old version stays downloadable as superseded', async () => {
    const refused = await api.post(
      `/api/certificates/${certificate.id}/reissue`,
      { reason: 'x' },
      'auditor',
    );
    expect(refused.status).toBe(403);
    const invalid = await api.post(`/api/certificates/${certificate.id}/reissue`, {});
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors[0].field).toBe('reason');

    const response = await api.post(`/api/certificates/${certificate.id}/reissue`, {
      reason: 'Holder changed their legal name',
    });
    expect(response.status).toBe(201);
    const v2 = response.body;
    expect(v2).toMatchObject({
      certificate_number: certificate.certificate_number,
      version: 2,
      versioned_number: `${certificate.certificate_number}-v2`,
      status: 'active',
      supersedes_id: certificate.id,
      reason: 'Holder changed their legal name',
    });
    expect(v2.sha256).not.toBe(certificate.sha256);
    expect(v2.verification_code).not.toBe(certificate.verification_code);

    const versions = await api.get(`/api/certificates/${v2.id}/versions`, 'auditor');
    expect(
      versions.body.map((c: { version: number; status: string }) => [c.version, c.status]),
    ).toEqual([
      [1, 'superseded'],
      [2, 'active'],
    ]);
    const old = await download(server(), `/api/certificates/${certificate.id}/content`);
    expect(old.status).toBe(200);
    expect(old.headers['x-certificate-status']).toBe('superseded');
    expect(sha256(old.body)).toBe(certificate.sha256);

    const current = await download(server(), `/api/issuances/${issuance.id}/certificate`);
    expect(sha256(current.body)).toBe(v2.sha256);
    expect(current.headers['content-disposition']).toContain(
      `${certificate.certificate_number}-v2`,
    );
    expect(pdfText(current.body)).toContain('Version 2, replaces version 1');

    const again = await api.post(`/api/certificates/${certificate.id}/reissue`, {
      reason: 'again',
    });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('CERTIFICATE_SUPERSEDED');
    expect(await count('SELECT 1 FROM certificate WHERE issuance_id = $1', [issuance.id])).toBe(2);
    expect(
      await count(
        `SELECT 1 FROM outbox_event WHERE type = 'certificate.reissued' AND aggregate_id = $1`,
        [v2.id],
      ),
    ).toBe(1);
  });

  it('voids the current version, and public verification reports it without the holder', async () => {
    const [v1, v2] = (await api.get(`/api/certificates/${certificate.id}/versions`)).body;
    const verify = (code: string) => request(server()).get(`/api/certificates/verify/${code}`);

    const before = await verify(v2.verification_code.toLowerCase());
    expect(before.status).toBe(200);
    expect(before.body).toEqual({
      exists: true,
      status: 'active',
      certificate_number: certificate.certificate_number,
      share_class: shareClass.name,
      issue_date: '2024-06-30',
    });

    const voided = await api.post(`/api/certificates/${v2.id}/void`, {
      reason: 'Shares repurchased',
    });
    expect(voided.status).toBe(200);
    expect(voided.body).toMatchObject({
      status: 'void',
      void_reason: 'Shares repurchased',
      voided_by: 'admin',
    });

    expect((await verify(v2.verification_code)).body.status).toBe('void');
    expect((await verify(v1.verification_code)).body.status).toBe('superseded');
    const unknown = await verify('ZZZZ-ZZZZ-ZZZZ-ZZZZ');
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('CERTIFICATE_NOT_FOUND');

    const current = await api.get(`/api/issuances/${issuance.id}/certificate`);
    expect(current.status).toBe(409);
    expect(current.body.code).toBe('CERTIFICATE_VOID');
    for (const action of ['void', 'reissue']) {
      const refused = await api.post(`/api/certificates/${v2.id}/${action}`, { reason: 'again' });
      expect(refused.status).toBe(409);
      expect(refused.body.code).toBe('CERTIFICATE_VOID');
    }
    const stillThere = await download(server(), `/api/certificates/${v2.id}/content`);
    expect(stillThere.headers['x-certificate-status']).toBe('void');
    expect(
      await count(
        `SELECT 1 FROM outbox_event WHERE type = 'certificate.voided' AND aggregate_id = $1`,
        [v2.id],
      ),
    ).toBe(1);
    expect(await count('SELECT 1 FROM certificate WHERE issuance_id = $1', [issuance.id])).toBe(2);
  });

  it('records generation, reissue and void in the audit log, with the admin as actor', async () => {
    const actions = async () =>
      (
        await db().query<{ action: string; actor_name: string }>(
          `SELECT a.action, a.actor_name FROM audit_entry a JOIN certificate c ON c.id::text = a.entity_id
            WHERE c.issuance_id = $1 ORDER BY a.action`,
          [issuance.id],
        )
      ).rows;
    const recorded = await eventually(
      async () => {
        const rows = await actions();
        return rows.length >= 3 ? rows : undefined;
      },
      10_000,
      'three certificate audit entries',
    );
    expect(recorded).toEqual([
      { action: 'certificate.generated', actor_name: 'admin' },
      { action: 'certificate.reissued', actor_name: 'admin' },
      { action: 'certificate.voided', actor_name: 'admin' },
    ]);
  });
});
