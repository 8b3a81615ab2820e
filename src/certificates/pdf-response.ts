import type { FastifyReply } from 'fastify';
import type { CertificateWithContent } from './certificates.service';
import { certificateFilename } from './certificate-views';

/** True when an If-None-Match header names this representation (strong or weak, or `*`). */
export function etagMatches(ifNoneMatch: string | undefined, sha256: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, '').replace(/^"|"$/g, ''))
    .some((tag) => tag === '*' || tag === sha256);
}

/**
 * Answers with the PDF bytes, or 304 when the caller already holds them. The ETag is the SHA-256,
 * which also lets a client check what it stored. Certificates carry personal data: private cache.
 */
export function replyWithPdf(
  reply: FastifyReply,
  certificate: CertificateWithContent,
  ifNoneMatch: string | undefined,
): Buffer | undefined {
  void reply
    .header('etag', `"${certificate.sha256}"`)
    .header('cache-control', 'private, no-cache')
    .header('x-certificate-status', certificate.status);
  if (etagMatches(ifNoneMatch, certificate.sha256)) {
    void reply.status(304);
    return undefined;
  }
  void reply
    .header('content-type', 'application/pdf')
    .header('content-disposition', `attachment; filename="${certificateFilename(certificate)}"`);
  return certificate.content;
}
