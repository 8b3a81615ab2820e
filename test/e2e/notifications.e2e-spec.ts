import { createHash } from 'node:crypto';
import { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { Api, givenCompany, givenShareClass, givenShareholder, unique } from '../support/api';
import { startApp, TestApp } from '../support/app';
import { closeDb, db } from '../support/db';
import { jsonPackage, ledgerPackageItems } from '../support/ocf-fixture';
import { postPackage, settled } from '../support/ocf';
import { eventually } from '../support/wait';

const received: ParsedMail[] = [];

async function parseInto(stream: Readable, done: (error?: Error) => void): Promise<void> {
  try {
    received.push(await simpleParser(stream));
    done();
  } catch (error) {
    done(error as Error);
  }
}

describe('holder notifications over real SMTP', () => {
  let smtp: SMTPServer;
  let testApp: TestApp;

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, _session, callback) {
        void parseInto(stream, callback);
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const { port } = smtp.server.address() as AddressInfo;
    testApp = await startApp({ SMTP_URL: `smtp://127.0.0.1:${port}`, OUTBOX_POLL_INTERVAL_MS: 50 });
  });
  afterAll(async () => {
    await testApp.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    await closeDb();
  });

  it('mails the holder about a new issuance with the certificate attached, once', async () => {
    const api = new Api(testApp);
    await givenCompany(api);
    const email = `${unique('mailme')}@example.com`;
    const holder = await givenShareholder(api, { name: 'Mail Holder', email });
    const shareClass = await givenShareClass(api, { name: unique('Mail Class') });
    const issuance = await api.post('/api/issuances/', {
      shareholder_id: holder.id,
      share_class_id: shareClass.id,
      number_of_shares: 250,
      price: '2.5',
    });
    expect(issuance.status).toBe(201);

    const mail = await eventually(
      () => Promise.resolve(received.find((m) => m.to && JSON.stringify(m.to).includes(email))),
      20_000,
      'the notification mail',
    );
    expect(mail.subject).toContain('250');
    expect(mail.text).toContain('Mail Holder');
    expect(mail.text).toContain('625 EUR');
    expect(mail.attachments).toHaveLength(1);
    const [attachment] = mail.attachments;
    expect(attachment?.contentType).toBe('application/pdf');
    const { rows } = await db().query<{ sha256: string; certificate_number: string }>(
      'SELECT sha256, certificate_number FROM certificate WHERE issuance_id = $1 AND version = 1',
      [issuance.body.id],
    );
    expect(attachment?.filename).toContain(rows[0]?.certificate_number);
    expect(
      createHash('sha256')
        .update(attachment?.content ?? Buffer.alloc(0))
        .digest('hex'),
    ).toBe(rows[0]?.sha256);

    // A redelivery of the same event sends nothing more.
    await db().query(
      "UPDATE outbox_event SET delivered_at = NULL, next_attempt_at = now() WHERE type = 'certificate.generated' AND payload->'after'->>'issuance_id' = $1",
      [issuance.body.id],
    );
    await eventually(async () => {
      const { rows: pending } = await db().query(
        "SELECT 1 FROM outbox_event WHERE type = 'certificate.generated' AND delivered_at IS NULL AND payload->'after'->>'issuance_id' = $1",
        [issuance.body.id],
      );
      return pending.length === 0 ? true : undefined;
    });
    expect(received.filter((m) => JSON.stringify(m.to).includes(email))).toHaveLength(1);
  });

  it('mails the transferor the cancelled and the balance certificate, and the transferee theirs', async () => {
    const api = new Api(testApp);
    const [fromEmail, toEmail] = [unique('seller'), unique('buyer')].map((u) => `${u}@example.com`);
    const seller = await givenShareholder(api, { name: 'Seller Holder', email: fromEmail });
    const buyer = await givenShareholder(api, { name: 'Buyer Holder', email: toEmail });
    const shareClass = await givenShareClass(api, { name: unique('Transfer Class') });
    const issuance = await api.post('/api/issuances/', {
      shareholder_id: seller.id,
      share_class_id: shareClass.id,
      number_of_shares: 100,
      price: '1',
      date: '2024-01-01',
    });
    const to = (email: string) => received.filter((m) => JSON.stringify(m.to).includes(email));
    await eventually(() => Promise.resolve(to(fromEmail).length === 1 ? true : undefined), 20_000);
    const transfer = await api.post(`/api/issuances/${issuance.body.id as string}/transfers`, {
      date: '2024-02-01',
      transfers: [{ to_shareholder_id: buyer.id, quantity: 30 }],
    });
    expect(transfer.status).toBe(201);

    const sellerMails = await eventually(
      () => Promise.resolve(to(fromEmail).length >= 3 ? to(fromEmail) : undefined),
      20_000,
      'the cancellation and the balance certificate mails',
    );
    const cancelled = sellerMails.find((m) => m.subject?.includes('cancelled'));
    expect(cancelled?.text).toContain(`TRANSFER ${transfer.body.transaction.id as string}`);
    expect(cancelled?.attachments[0]?.filename).toMatch(/-cancelled\.pdf$/);
    expect(sellerMails.filter((m) => m.subject?.includes('70'))).toHaveLength(1);
    const buyerMails = await eventually(
      () => Promise.resolve(to(toEmail).length === 1 ? to(toEmail) : undefined),
      20_000,
      "the transferee's certificate mail",
    );
    expect(buyerMails[0]?.subject).toContain('30');
    expect(buyerMails[0]?.attachments).toHaveLength(1);
  });
  it("mails no one about the certificates of an OCF import: it is the company's history, not news", async () => {
    const api = new Api(testApp);
    const items = ledgerPackageItems();
    const imported = await postPackage(api, '/api/ocf/import', jsonPackage(items));
    expect(imported.status).toBe(201);
    const companyId = imported.body.company_id as string;
    await settled(companyId);
    const base = `/api/companies/${companyId}`;
    const certificates = await api.get(`${base}/certificates/`);
    expect((certificates.body as unknown[]).length).toBeGreaterThan(0);

    // The mail path of that company works: an issuance made after the import is mailed.
    const email = `${unique('after-import')}@example.com`;
    const holder = await api.post(`${base}/shareholders/`, { name: 'After Import', email });
    const shareClass = ((await api.get(`${base}/share-classes/`)).body as Array<{ id: string }>)[0];
    const issued = await api.post(`${base}/issuances/`, {
      shareholder_id: holder.body.id as string,
      share_class_id: shareClass.id,
      number_of_shares: 5,
      price: '1',
      date: '2025-12-01',
    });
    expect(issued.status).toBe(201);
    await eventually(
      () =>
        Promise.resolve(received.some((m) => JSON.stringify(m.to).includes(email)) || undefined),
      20_000,
      'the mail of the issuance after the import',
    );
    const holders = items.stakeholders.map(
      (h) =>
        (h.contact_info as { emails: Array<{ email_address: string }> }).emails[0].email_address,
    );
    expect(received.filter((m) => holders.some((e) => JSON.stringify(m.to).includes(e)))).toEqual(
      [],
    );
  });
});
