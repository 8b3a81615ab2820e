/**
 * The certificates of a company's dataset, as a deployment that has been running has them: every
 * outstanding security an active version 1 with its number (per class, gap-free, in the order the
 * securities were created; the class counters at the last one), every spent security the
 * certificates module's marker that it may have no valid certificate (`certificate_cancellation`,
 * what its listener writes). The PDF is one small placeholder document for all of them (the bench
 * never downloads these; it renders certificates of its own). Securities set aside for the
 * on-demand renders have no certificate but a queued render that is not due (`next_attempt_at`
 * 'infinity', so the render worker leaves them): the reconciliation counts them as pending.
 * Loaded with INSERT … SELECT as the owner; ids and verification codes are derived from the
 * security's id (md5), so the same dataset always gets the same ones.
 */
import { createHash } from 'node:crypto';
import type { Client } from 'pg';
import type { EventActor } from '../../src/events';
import { TableLoad, timed } from './dataset-common';

/** A one-page PDF saying what it is. */
function placeholderPdf(): Buffer {
  const text = 'BT /F1 20 Tf 72 500 Td (Placeholder certificate of the benchmark dataset) Tj ET';
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 842 595] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${text.length} >>\nstream\n${text}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets = objects.map((object, i) => {
    const offset = body.length;
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
    return offset;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  body += offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/** The certificate number as the service formats it: prefix, dash, sequence of 6 digits or more. */
const NUMBER_SQL = `c.certificate_prefix || '-' || CASE WHEN length(n.seq::text) >= 6 THEN n.seq::text ELSE lpad(n.seq::text, 6, '0') END`;

async function assignNumbers(client: Client, companyId: string, unrendered: string[]) {
  const assigned = await client.query(
    `INSERT INTO certificate_assignment (company_id, issuance_id, share_class_id, sequence, certificate_number, assigned_at)
     SELECT n.company_id, n.id, n.share_class_id, n.seq, ${NUMBER_SQL}, n.created_at
       FROM (SELECT i.company_id, i.id, i.share_class_id, i.created_at,
                    row_number() OVER (PARTITION BY i.share_class_id ORDER BY i.created_at, i.id) AS seq
               FROM issuance i
              WHERE i.company_id = $1 AND i.status = 'OUTSTANDING' AND i.id <> ALL($2::uuid[])) n
       JOIN share_class c ON c.company_id = n.company_id AND c.id = n.share_class_id`,
    [companyId, unrendered],
  );
  await client.query(
    `INSERT INTO certificate_counter (company_id, share_class_id, last_sequence)
     SELECT company_id, share_class_id, max(sequence) FROM certificate_assignment
      WHERE company_id = $1 GROUP BY 1, 2`,
    [companyId],
  );
  return assigned.rowCount ?? 0;
}

async function insertCertificates(client: Client, companyId: string): Promise<number> {
  const pdf = placeholderPdf();
  const result = await client.query(
    `INSERT INTO certificate (company_id, id, issuance_id, shareholder_id, share_class_id, certificate_number,
                              version, status, share_class_name, number_of_shares, issue_date,
                              verification_code, specimen, content, size_bytes, sha256, created_at,
                              created_by_sub, created_by, request_id)
     SELECT i.company_id, md5('bench-certificate:' || i.id::text)::uuid, i.id, i.shareholder_id,
            i.share_class_id, a.certificate_number, 1, 'active', c.name, i.number_of_shares, i.date,
            upper(substr(md5('bench-verification:' || i.id::text), 1, 16)), false, $2::bytea, $3, $4,
            i.created_at + interval '3 seconds', i.created_by_sub, i.created_by, i.request_id
       FROM certificate_assignment a
       JOIN issuance i ON i.company_id = a.company_id AND i.id = a.issuance_id
       JOIN share_class c ON c.company_id = i.company_id AND c.id = i.share_class_id
      WHERE a.company_id = $1`,
    [companyId, pdf, pdf.length, createHash('sha256').update(pdf).digest('hex')],
  );
  return result.rowCount ?? 0;
}

/** Queued, not due: the on-demand figure renders them; the worker never claims them. */
async function deferredRenders(
  client: Client,
  companyId: string,
  unrendered: string[],
  actor: EventActor,
): Promise<number> {
  const result = await client.query(
    `INSERT INTO certificate_request (company_id, issuance_id, requested_at, next_attempt_at, attempts, actor, request_id, issued_at)
     SELECT i.company_id, i.id, i.created_at, 'infinity', 0, $3::jsonb, i.request_id, i.created_at
       FROM issuance i WHERE i.company_id = $1 AND i.id = ANY($2::uuid[])`,
    [companyId, unrendered, JSON.stringify(actor)],
  );
  return result.rowCount ?? 0;
}

async function cancellationMarkers(client: Client, companyId: string): Promise<number> {
  const result = await client.query(
    `INSERT INTO certificate_cancellation (company_id, issuance_id, transaction_id, kind, cancelled_at)
     SELECT t.company_id, t.security_id, t.id, t.kind, t.recorded_at
       FROM stock_transaction t WHERE t.company_id = $1`,
    [companyId],
  );
  return result.rowCount ?? 0;
}

/** The company's certificates; `unrendered` (outstanding securities) get a deferred render instead. */
export async function loadCertificates(
  client: Client,
  loads: TableLoad[],
  company: { id: string; label: string },
  unrendered: string[],
  actor: EventActor,
): Promise<void> {
  await timed(loads, `${company.label}: certificates of the outstanding securities`, async () => {
    const numbered = await assignNumbers(client, company.id, unrendered);
    const certificates = await insertCertificates(client, company.id);
    const deferred = await deferredRenders(client, company.id, unrendered, actor);
    const markers = await cancellationMarkers(client, company.id);
    return { rows: numbered + certificates + deferred + markers };
  });
}

/**
 * Renders queued by earlier phases (or a previous run), not rendered yet, deferred the same way:
 * they stay pending (the reconciliation still accepts them), and the render worker is left to
 * what the next phase queues. Answers how many.
 */
export async function deferPendingRenders(client: Client): Promise<number> {
  const result = await client.query(
    `UPDATE certificate_request SET next_attempt_at = 'infinity' WHERE next_attempt_at <> 'infinity'`,
  );
  return result.rowCount ?? 0;
}
