import { CertificateView, renderCertificateHtml } from './certificate-template';

const view: CertificateView = {
  companyLegalName: 'Acme Robotics Ltd',
  certificateNumber: 'CS-000001',
  version: 1,
  holderName: 'Ada Lovelace',
  numberOfShares: 1234,
  shareClassName: 'Common',
  shareClassType: 'COMMON',
  parValue: '0.0001',
  price: '1.5',
  totalAmount: '1851',
  currency: 'EUR',
  issueDate: '2024-06-30',
  legendText: null,
  verificationCode: 'ABCD-0123-EFGH-JKMN',
  verificationUrl: 'http://localhost:3000/api/certificates/verify/ABCD0123EFGHJKMN',
  qrSvg: '<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0h1v1H0z"/></svg>',
  watermark: false,
};

describe('renderCertificateHtml', () => {
  it('prints every fact, the shares in digits and words, and the QR code inline', () => {
    const page = renderCertificateHtml(view);
    for (const text of [
      'Acme Robotics Ltd',
      'CS-000001',
      'Ada Lovelace',
      '1,234',
      'One thousand two hundred thirty-four',
      'EUR 0.0001',
      'EUR 1.50',
      'EUR 1,851.00',
      '30 June 2024',
      'ABCD-0123-EFGH-JKMN',
      '<path d="M0 0h1v1H0z"/>',
    ]) {
      expect(page).toContain(text);
    }
    expect(page).not.toContain('SPECIMEN');
  });

  it('escapes every field, so markup in a name or legend prints literally', () => {
    const page = renderCertificateHtml({
      ...view,
      holderName: '<img src=http://127.0.0.1:9/x>',
      companyLegalName: 'A & B "Holdings"',
      shareClassName: '<script>alert(1)</script>',
      legendText: '<link rel=stylesheet href=http://127.0.0.1:9/y>',
    });
    expect(page).toContain('&lt;img src=http://127.0.0.1:9/x&gt;');
    expect(page).toContain('A &amp; B &quot;Holdings&quot;');
    expect(page).not.toMatch(/<img|<script|<link/i);
  });

  it('loads nothing: no script, no external URL in any src or href, and a CSP forbidding fetches', () => {
    const page = renderCertificateHtml({ ...view, legendText: 'Legend', version: 2 });
    expect(page).not.toMatch(/<script|\s(src|href)=/i);
    expect(page).toContain("default-src 'none'");
    expect(page).toContain('Version 2, replaces version 1');
  });

  it('adds the SPECIMEN watermark when asked', () => {
    expect(renderCertificateHtml({ ...view, watermark: true })).toContain(
      '<div class="watermark">SPECIMEN</div>',
    );
  });
});
