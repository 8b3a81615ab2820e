/**
 * The certificate's print stylesheet: A4 landscape, no margins, system fonts only (Debian's
 * Liberation and DejaVu), and a guilloché-like border made of CSS gradients, so the page needs no
 * image, font or stylesheet from anywhere.
 */
export const CERTIFICATE_STYLES = `
@page { size: A4 landscape; margin: 0; }
* { box-sizing: border-box; margin: 0; padding: 0; }
html, body { width: 297mm; height: 210mm; }
body {
  font-family: 'Liberation Serif', 'DejaVu Serif', serif;
  color: #1c2a39;
  -webkit-print-color-adjust: exact;
  print-color-adjust: exact;
}
.sheet { position: relative; width: 297mm; height: 210mm; padding: 8mm; background: #fdfbf4; overflow: hidden; }
.border {
  height: 100%;
  padding: 1.6mm;
  border: 1.4mm solid #1f3b5c;
  background: #f4efe0;
}
.border-mid { height: 100%; padding: 1.6mm; border: 0.6mm solid #b08d57; }
.border-in { height: 100%; padding: 1.2mm; border: 0.25mm solid #1f3b5c; }
.inner {
  position: relative;
  height: 100%;
  padding: 7mm 14mm 6mm;
  border: 0.4mm solid #b08d57;
  background: #fffcf3;
  display: flex;
  flex-direction: column;
}
header { display: flex; align-items: flex-start; justify-content: space-between; }
.title { flex: 1; text-align: center; padding: 0 6mm; }
.kicker {
  font-size: 11pt; letter-spacing: 0.3em; text-transform: uppercase; color: #8a6a36;
}
h1 {
  margin-top: 2mm; font-size: 30pt; font-weight: bold; color: #1f3b5c; line-height: 1.1;
  overflow-wrap: anywhere;
}
.subtitle { margin-top: 1.5mm; font-size: 11pt; font-style: italic; color: #4a5a6a; }
.corner {
  width: 52mm; padding: 2.5mm 3mm; text-align: center;
  border: 0.4mm solid #b08d57; background: #fffdf6;
}
.corner-label {
  font-family: 'Liberation Sans', 'DejaVu Sans', sans-serif;
  font-size: 7pt; text-transform: uppercase; letter-spacing: 0.06em; color: #8a6a36;
}
.corner-value { margin-top: 1mm; font-size: 15pt; font-weight: bold; color: #1f3b5c; white-space: nowrap; }
.corner-note { margin-top: 0.8mm; font-size: 7.5pt; font-style: italic; color: #8a3324; }
.statement { margin-top: 9mm; text-align: center; }
.statement .lead { font-size: 12pt; font-style: italic; color: #4a5a6a; }
.statement .holder {
  margin: 2mm auto 2.5mm; max-width: 220mm; font-size: 27pt; font-weight: bold; color: #1c2a39;
  border-bottom: 0.3mm solid #b08d57; padding-bottom: 1mm; overflow-wrap: anywhere;
}
.statement .shares { margin-top: 3mm; font-size: 16pt; }
.statement .count { font-weight: bold; color: #1f3b5c; }
.statement .words { font-style: italic; }
.statement .body {
  margin: 2mm auto 0; max-width: 215mm; font-size: 12pt; line-height: 1.5;
  overflow-wrap: anywhere;
}
.facts { margin: 8mm auto 0; border-collapse: collapse; width: 100%; }
.facts td {
  width: 20%; padding: 2mm 2.5mm; text-align: center; vertical-align: top;
  border-top: 0.3mm solid #b08d57; border-bottom: 0.3mm solid #b08d57;
}
.facts td + td { border-left: 0.2mm solid #d8c6a1; }
.fact-label {
  font-family: 'Liberation Sans', 'DejaVu Sans', sans-serif;
  font-size: 6.5pt; text-transform: uppercase; letter-spacing: 0.06em; color: #8a6a36;
}
.fact-value { margin-top: 0.8mm; font-size: 11pt; font-weight: bold; overflow-wrap: anywhere; }
.legend {
  margin-top: 5mm; padding: 2mm 3mm; font-family: 'Liberation Sans', 'DejaVu Sans', sans-serif;
  font-size: 6.8pt; line-height: 1.35; text-align: justify; color: #3d4a57;
  border: 0.2mm solid #d8c6a1; background: rgba(255, 255, 255, 0.6);
  max-height: 22mm; overflow: hidden; white-space: pre-line;
}
footer { margin-top: auto; display: flex; align-items: flex-end; gap: 8mm; }
.seal { width: 30mm; height: 30mm; flex: none; }
.seal svg { width: 100%; height: 100%; display: block; }
.signature { flex: 1; text-align: center; padding-bottom: 2mm; }
.signature .line { height: 12mm; border-bottom: 0.3mm solid #1c2a39; }
.signature .role {
  margin-top: 1.2mm; font-family: 'Liberation Sans', 'DejaVu Sans', sans-serif;
  font-size: 8pt; letter-spacing: 0.05em; text-transform: uppercase; color: #4a5a6a;
}
.verify { display: flex; align-items: center; gap: 3mm; width: 78mm; }
.qr { width: 24mm; height: 24mm; flex: none; background: #fff; padding: 1mm; border: 0.2mm solid #d8c6a1; }
.qr svg { width: 100%; height: 100%; display: block; }
.verify-text { font-family: 'Liberation Sans', 'DejaVu Sans', sans-serif; min-width: 0; }
.verify-label { font-size: 6.5pt; text-transform: uppercase; letter-spacing: 0.06em; color: #8a6a36; }
.verify-code { margin-top: 0.6mm; font-family: 'Liberation Mono', 'DejaVu Sans Mono', monospace; font-size: 10pt; font-weight: bold; }
.verify-url { margin-top: 0.6mm; font-size: 6.5pt; color: #4a5a6a; overflow-wrap: anywhere; }
.watermark {
  position: absolute; top: 50%; left: 50%; transform: translate(-50%, -50%) rotate(-22deg);
  font-family: 'Liberation Sans', 'DejaVu Sans', sans-serif; font-size: 104pt; font-weight: bold;
  letter-spacing: 0.1em; color: rgba(160, 30, 30, 0.11); pointer-events: none;
}
`;
