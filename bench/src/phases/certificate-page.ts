/**
 * The page raw Puppeteer prints: the service's own certificate template (`renderCertificateHtml`)
 * with a sample certificate, or a comparable inline page when the template is not there.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../options';

type RenderCertificateHtml = (view: Record<string, unknown>) => string;
type QrToString = (text: string, options: Record<string, unknown>) => Promise<string>;

const TEMPLATE = join(REPO_ROOT, 'src', 'certificates', 'pdf', 'certificate-template.ts');

async function templatePage(companyName: string): Promise<string> {
  const template = (await import(TEMPLATE)) as { renderCertificateHtml: RenderCertificateHtml };
  const qrcode = (await import('qrcode')) as { toString: QrToString };
  const verificationUrl = 'http://localhost:3000/api/certificates/verify/BENCH2026ABCD';
  const qrSvg = await qrcode.toString(verificationUrl, {
    type: 'svg',
    errorCorrectionLevel: 'M',
    margin: 0,
  });
  return template.renderCertificateHtml({
    companyLegalName: companyName,
    certificateNumber: 'CS-000042',
    version: 1,
    holderName: 'Ada Lovelace',
    numberOfShares: 12_345,
    shareClassName: 'Common',
    shareClassType: 'COMMON',
    parValue: '0.0100',
    price: '1.2500',
    totalAmount: '15431.2500',
    currency: 'CHF',
    issueDate: '2026-01-15',
    legendText: null,
    verificationCode: 'BENC-H202-6ABC',
    verificationUrl,
    qrSvg,
    watermark: true,
  });
}

const comparablePage = (companyName: string): string =>
  `<!doctype html><html><head><meta charset="utf-8"><style>@page{size:A4 landscape;margin:0}body{font-family:serif;margin:0}.s{border:12px double #1f3b5c;margin:10mm;padding:15mm;height:160mm}h1{text-align:center}</style></head><body><div class="s"><h1>${companyName}</h1><p>This is to certify that Ada Lovelace is the registered holder of 12,345 Common shares.</p><svg width="120" height="120"><rect width="120" height="120" fill="#eee"/></svg></div></body></html>`;

/** The page and where it came from; `notes` says why the template could not be used. */
export async function certificatePage(
  companyName: string,
  notes: string[],
): Promise<{ html: string; source: string }> {
  if (existsSync(TEMPLATE)) {
    try {
      return {
        html: await templatePage(companyName),
        source: 'src/certificates/pdf/certificate-template.ts (renderCertificateHtml)',
      };
    } catch (error) {
      notes.push(
        `certificate template could not be used (${String(error)}); raw Puppeteer used a comparable page`,
      );
    }
  }
  return {
    html: comparablePage(companyName),
    source: 'comparable inline page (template not found)',
  };
}
