import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PdfRenderer } from '../../src/certificates/pdf/pdf-renderer';
import { formatCertificateNumber } from '../../src/certificates/certificate-numbering';
import {
  Api,
  givenCompany,
  givenIssuance,
  givenShareClass,
  givenShareholder,
} from '../support/api';
import { startApp, TestApp } from '../support/app';
import { closeDb, count, db } from '../support/db';
import { download, pdfText, sha256 } from '../support/pdf';
import { eventually } from '../support/wait';

/**
 * The renderer under load and failure. Both apps run without the outbox relay, so the download
 * route is what renders first; app B has one page and a waiting line of one.
 */
describe('certificate rendering', () => {
  let appA: TestApp;
  let appB: TestApp;
  let api: Api;
  let holder: { id: string };
  let probe: Server;
  let probeHits = 0;
  let probeUrl: string;

  const issue = async (classId: string, overrides: Record<string, unknown> = {}) =>
    givenIssuance(api, {
      shareholder_id: holder.id,
      share_class_id: classId,
      number_of_shares: 100,
      ...overrides,
    });

  beforeAll(async () => {
    appA = await startApp({ OUTBOX_RELAY_ENABLED: false });
    appB = await startApp({
      OUTBOX_RELAY_ENABLED: false,
      CERTIFICATE_RENDER_CONCURRENCY: 1,
      CERTIFICATE_QUEUE_LIMIT: 1,
    });
    api = new Api(appA);
    await givenCompany(api);
    holder = await givenShareholder(api);
    probe = createServer((_, response) => {
      probeHits += 1;
      response.end('hit');
    });
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    probeUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await appA.close();
    await appB?.close();
    probe.close();
    await closeDb();
  });

  it('creates one certificate when first renders of one issuance race on two instances', async () => {
    const shareClass = await givenShareClass(api);
    const issuance = await issue(shareClass.id);
    const responses = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        download(
          (i % 2 === 0 ? appA : appB).app.getHttpServer(),
          `/api/issuances/${issuance.id}/certificate`,
        ),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(responses.map(() => 200));
    expect(new Set(responses.map((r) => r.headers.etag)).size).toBe(1);
    expect(await count('SELECT 1 FROM certificate WHERE issuance_id = $1', [issuance.id])).toBe(1);
    const { rows } = await db().query(
      'SELECT last_sequence::int AS n FROM certificate_counter WHERE share_class_id = $1',
      [shareClass.id],
    );
    expect(rows[0].n).toBe(1);
  });

  it('numbers certificates of concurrent issuances without gaps or duplicates', async () => {
    const shareClass = await givenShareClass(api);
    const issuances = await Promise.all(Array.from({ length: 12 }, () => issue(shareClass.id)));
    const responses = await Promise.all(
      issuances.map((issuance) =>
        download(appA.app.getHttpServer(), `/api/issuances/${issuance.id}/certificate`),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(issuances.map(() => 200));
    const { rows } = await db().query<{ certificate_number: string }>(
      'SELECT certificate_number FROM certificate WHERE share_class_id = $1 ORDER BY certificate_number',
      [shareClass.id],
    );
    expect(rows.map((r) => r.certificate_number)).toEqual(
      Array.from(
        { length: 12 },
        (_, i) => `${shareClass.certificate_prefix}-${String(i + 1).padStart(6, '0')}`,
      ),
    );
  });

  it('numbers past 999999 grow a digit, as formatCertificateNumber does', async () => {
    const shareClass = await givenShareClass(api);
    const first = await issue(shareClass.id);
    expect(
      (await download(appA.app.getHttpServer(), `/api/issuances/${first.id}/certificate`)).status,
    ).toBe(200);
    await db().query(
      'UPDATE certificate_counter SET last_sequence = 999998 WHERE share_class_id = $1',
      [shareClass.id],
    );
    const numbers: string[] = [];
    for (const issuance of [await issue(shareClass.id), await issue(shareClass.id)]) {
      const response = await download(
        appA.app.getHttpServer(),
        `/api/issuances/${issuance.id}/certificate`,
      );
      expect(response.status).toBe(200);
      const { rows } = await db().query<{ certificate_number: string }>(
        'SELECT certificate_number FROM certificate_assignment WHERE issuance_id = $1',
        [issuance.id],
      );
      numbers.push(rows[0].certificate_number);
    }
    expect(numbers).toEqual([
      formatCertificateNumber(shareClass.certificate_prefix, 999_999),
      formatCertificateNumber(shareClass.certificate_prefix, 1_000_000),
    ]);
    expect(numbers[1]).toBe(`${shareClass.certificate_prefix}-1000000`);
  });

  it('prints a holder named like markup literally, and the page makes no request', async () => {
    const renderer = appA.app.get(PdfRenderer);
    const blockedBefore = renderer.stats().blockedRequests;
    const shareClass = await givenShareClass(api);
    for (const name of ['<img src=http://127.0.0.1:9/x>', `<img src=${probeUrl}/holder>`]) {
      const markup = await givenShareholder(api, { name });
      const issuance = await givenIssuance(api, {
        shareholder_id: markup.id,
        share_class_id: shareClass.id,
        number_of_shares: 5,
      });
      const response = await download(
        appA.app.getHttpServer(),
        `/api/issuances/${issuance.id}/certificate`,
      );
      expect(response.status).toBe(200);
      expect(pdfText(response.body)).toContain(name);
    }
    expect(probeHits).toBe(0);
    expect(renderer.stats().blockedRequests).toBe(blockedBefore);
  });

  it('blocks every request even from markup that was not escaped', async () => {
    const renderer = appA.app.get(PdfRenderer);
    const blockedBefore = renderer.stats().blockedRequests;
    const pdf = await renderer.render(
      `<html><head><link rel="stylesheet" href="${probeUrl}/style.css"></head>
       <body><img src="${probeUrl}/img.png"><iframe src="${probeUrl}/frame"></iframe>
       <script src="${probeUrl}/script.js"></script><p>still printed</p></body></html>`,
    );
    expect(pdfText(pdf)).toContain('still printed');
    expect(probeHits).toBe(0);
    expect(renderer.stats().blockedRequests).toBeGreaterThan(blockedBefore);
  });

  it('refuses renders beyond the waiting line with 503 and Retry-After, and serves them later', async () => {
    const renderer = appB.app.get(PdfRenderer);
    const heavy = `<html><body>${'<p>A long document that keeps the only page busy.</p>'.repeat(10_000)}</body></html>`;
    const busy = [renderer.render(heavy), renderer.render(heavy)];
    const shareClass = await givenShareClass(api);
    const issuance = await issue(shareClass.id);
    const refused = await download(
      appB.app.getHttpServer(),
      `/api/issuances/${issuance.id}/certificate`,
    );
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('5');
    expect(JSON.parse(refused.body.toString()).code).toBe('CERTIFICATE_RENDER_BUSY');
    expect(await count('SELECT 1 FROM certificate WHERE issuance_id = $1', [issuance.id])).toBe(0);
    await Promise.allSettled(busy);

    const later = await download(
      appB.app.getHttpServer(),
      `/api/issuances/${issuance.id}/certificate`,
    );
    expect(later.status).toBe(200);
    expect(pdfText(later.body)).toContain(`${shareClass.certificate_prefix}-000001`);
  });

  it('survives Chromium being killed in the middle of renders', async () => {
    const renderer = appA.app.get(PdfRenderer);
    const launchesBefore = renderer.stats().launches;
    const shareClass = await givenShareClass(api);
    const issuances = await Promise.all(Array.from({ length: 4 }, () => issue(shareClass.id)));
    const inFlight = Promise.all(
      issuances.map((issuance) =>
        download(appA.app.getHttpServer(), `/api/issuances/${issuance.id}/certificate`),
      ),
    );
    // A render holds its page for a moment only: probe the in-process counter every 2 ms.
    await eventually(
      () => Promise.resolve(renderer.stats().inUse > 0 ? true : undefined),
      5_000,
      'a render in progress',
      2,
    );
    const chromium = renderer.browserProcess();
    expect(chromium?.kill('SIGKILL')).toBe(true);

    const responses = await inFlight;
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    for (const response of responses)
      expect(pdfText(response.body)).toContain(shareClass.certificate_prefix);

    const next = await issue(shareClass.id);
    const after = await download(appA.app.getHttpServer(), `/api/issuances/${next.id}/certificate`);
    expect(after.status).toBe(200);
    expect(after.headers.etag).toBe(`"${sha256(after.body)}"`);
    expect(renderer.stats().launches).toBeGreaterThan(launchesBefore);
  });

  it('closes Chromium when the application shuts down', async () => {
    const pid = appB.app.get(PdfRenderer).browserProcess()?.pid;
    expect(pid).toBeDefined();
    await appB.close();
    appB = undefined as unknown as TestApp;
    expect(() => process.kill(pid as number, 0)).toThrow();
  });
});
