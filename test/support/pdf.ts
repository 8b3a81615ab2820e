import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { Caller } from './api';
import { serviceAccountToken, tokenFor } from './keycloak';
import { db } from './db';
import { eventually } from './wait';

/** The text of a PDF as poppler's pdftotext reads it, whitespace collapsed to single spaces. */
export function pdfText(pdf: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'pdf-'));
  try {
    const file = join(dir, 'document.pdf');
    writeFileSync(file, pdf);
    return execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const sha256 = (content: Buffer): string =>
  createHash('sha256').update(content).digest('hex');

/** Collects a binary response body into a Buffer (superagent leaves application/pdf unparsed). */
function binary(response: request.Response, done: (error: Error | null, body: Buffer) => void) {
  const chunks: Buffer[] = [];
  response.on('data', (chunk: Buffer) => chunks.push(chunk));
  response.on('end', () => done(null, Buffer.concat(chunks)));
}

async function authorization(as: Caller): Promise<Record<string, string>> {
  if (as === 'anonymous') return {};
  if (typeof as === 'object') return { authorization: `Bearer ${as.token}` };
  const token = as === 'internal-tool' ? await serviceAccountToken() : await tokenFor(as);
  return { authorization: `Bearer ${token}` };
}

/** GET whose body is kept as raw bytes (`body` is a Buffer for PDFs and problem+json alike). */
export async function download(
  server: Parameters<typeof request>[0],
  path: string,
  as: Caller = 'admin',
  headers: Record<string, string> = {},
) {
  return request(server)
    .get(path)
    .set(await authorization(as))
    .set(headers)
    .buffer(true)
    .parse(binary);
}

export interface StoredCertificate {
  id: string;
  certificate_number: string;
  version: number;
  status: string;
  sha256: string;
  verification_code: string;
}

/**
 * Waits (bounded) until the relay's listener has stored the issuance's certificate. The bound is
 * generous: a suite's first render starts Chromium, which on a loaded machine takes seconds.
 */
export function waitForCertificate(
  issuanceId: string,
  timeoutMs = 30_000,
): Promise<StoredCertificate> {
  return eventually(
    async () =>
      (
        await db().query<StoredCertificate>(
          `SELECT id, certificate_number, version, status, sha256, verification_code
             FROM certificate WHERE issuance_id = $1 ORDER BY version`,
          [issuanceId],
        )
      ).rows[0],
    timeoutMs,
    `a certificate for issuance ${issuanceId}`,
  );
}
