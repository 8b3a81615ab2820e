import { formatAmount, formatIssueDate, formatShares } from './format';
import { html, SafeHtml, trusted } from './html';
import { capitalize, numberToWords } from './number-to-words';
import { CERTIFICATE_STYLES } from './certificate-styles';

/** Everything printed on one version of a certificate. */
export interface CertificateView {
  companyLegalName: string;
  certificateNumber: string;
  version: number;
  holderName: string;
  numberOfShares: number;
  shareClassName: string;
  shareClassType: string;
  parValue: string;
  price: string;
  totalAmount: string;
  currency: string;
  issueDate: string;
  legendText: string | null;
  verificationCode: string;
  verificationUrl: string;
  /** The QR code as inline SVG markup, generated server-side (no script, no fetch). */
  qrSvg: string;
  watermark: boolean;
}

/** A guilloché-style rosette for the seal, drawn as vector ellipses: no image to fetch. */
const SEAL = trusted(
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="-50 -50 100 100"><g fill="none" stroke="#b08d57" stroke-width="0.4">${Array.from(
    { length: 24 },
    (_, i) => `<ellipse rx="47" ry="17" transform="rotate(${i * 7.5})"/>`,
  ).join(
    '',
  )}</g><circle r="29" fill="#fffcf3" stroke="#1f3b5c" stroke-width="0.9"/><circle r="25.5" fill="none" stroke="#1f3b5c" stroke-width="0.35"/><text y="-3" text-anchor="middle" font-family="Liberation Serif, serif" font-size="7.5" fill="#1f3b5c" letter-spacing="0.6">COMPANY</text><text y="7" text-anchor="middle" font-family="Liberation Serif, serif" font-size="7.5" fill="#1f3b5c" letter-spacing="0.6">SEAL</text></svg>`,
);

const typeLabel = (type: string): string => capitalize(type.toLowerCase());

function corner(label: string, value: string, extra?: SafeHtml): SafeHtml {
  return html`<div class="corner">
    <div class="corner-label">${label}</div>
    <div class="corner-value">${value}</div>
    ${extra}
  </div>`;
}

function fact(label: string, value: string): SafeHtml {
  return html`<td>
    <div class="fact-label">${label}</div>
    <div class="fact-value">${value}</div>
  </td>`;
}

function statement(view: CertificateView): SafeHtml {
  const words = capitalize(numberToWords(view.numberOfShares));
  return html`<section class="statement">
    <p class="lead">This is to certify that</p>
    <p class="holder">${view.holderName}</p>
    <p class="lead">is the registered holder of</p>
    <p class="shares">
      <span class="count">${formatShares(view.numberOfShares)}</span>
      <span class="words">(${words})</span>
    </p>
    <p class="body">
      fully paid ${typeLabel(view.shareClassType)} shares of the class
      <strong>${view.shareClassName}</strong> in <strong>${view.companyLegalName}</strong>,
      transferable only on the register of members of the company in accordance with its articles of
      association.
    </p>
  </section>`;
}

function facts(view: CertificateView): SafeHtml {
  const money = (amount: string) => `${view.currency} ${formatAmount(amount)}`;
  return html`<table class="facts">
    <tr>
      ${fact('Share class', view.shareClassName)}${fact('Par value', money(view.parValue))}
      ${fact('Price per share', money(view.price))}${fact('Total amount', money(view.totalAmount))}
      ${fact('Issue date', formatIssueDate(view.issueDate))}
    </tr>
  </table>`;
}

function footer(view: CertificateView): SafeHtml {
  return html`<footer>
    <div class="signature">
      <div class="line"></div>
      <div class="role">Director</div>
    </div>
    <div class="seal">${SEAL}</div>
    <div class="signature">
      <div class="line"></div>
      <div class="role">Director / Company Secretary</div>
    </div>
    <div class="verify">
      <div class="qr">${trusted(view.qrSvg)}</div>
      <div class="verify-text">
        <div class="verify-label">Verification code</div>
        <div class="verify-code">${view.verificationCode}</div>
        <div class="verify-url">${view.verificationUrl}</div>
      </div>
    </div>
  </footer>`;
}

/**
 * The certificate as one self-contained HTML document: inline CSS, inline SVG, system fonts,
 * every value escaped by the `html` tag, and a CSP that forbids loading anything.
 */
export function renderCertificateHtml(view: CertificateView): string {
  const versionNote =
    view.version > 1
      ? html`<div class="corner-note">
          Version ${view.version}, replaces version ${view.version - 1}
        </div>`
      : null;
  const legend = view.legendText ? html`<div class="legend">${view.legendText}</div>` : null;
  const watermark = view.watermark ? html`<div class="watermark">SPECIMEN</div>` : null;
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta
          http-equiv="Content-Security-Policy"
          content="default-src 'none'; style-src 'unsafe-inline'"
        />
        <title>Share certificate ${view.certificateNumber}</title>
        <style>
          ${trusted(CERTIFICATE_STYLES)}
        </style>
      </head>
      <body>
        <div class="sheet">
          <div class="border">
            <div class="border-mid">
              <div class="border-in">
                <div class="inner">
                  <header>
                    ${corner('Certificate No.', view.certificateNumber, versionNote ?? undefined)}
                    <div class="title">
                      <div class="kicker">Share Certificate</div>
                      <h1>${view.companyLegalName}</h1>
                      <div class="subtitle">${typeLabel(view.shareClassType)} shares</div>
                    </div>
                    ${corner('Number of shares', formatShares(view.numberOfShares))}
                  </header>
                  ${statement(view)} ${facts(view)} ${legend} ${footer(view)}
                </div>
              </div>
            </div>
          </div>
          ${watermark}
        </div>
      </body>
    </html>`.html;
}
