import { randomInt } from 'node:crypto';

/** Digits of the sequence part; numbers past 999999 simply grow a digit. */
export const SEQUENCE_DIGITS = 6;

/** "CS" and 1 → "CS-000001": the class's certificate prefix and its gap-free sequence. */
export function formatCertificateNumber(prefix: string, sequence: number): string {
  if (!/^[A-Z]{1,6}$/.test(prefix)) throw new RangeError(`bad certificate prefix ${prefix}`);
  if (!Number.isSafeInteger(sequence) || sequence < 1) {
    throw new RangeError(`bad certificate sequence ${sequence}`);
  }
  return `${prefix}-${String(sequence).padStart(SEQUENCE_DIGITS, '0')}`;
}

/** A number a certificate may carry as given: it is printed, and names the PDF's file. */
const CUSTOM_NUMBER = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;
const IN_OUR_FORMAT = /^([A-Z]{1,6})-([0-9]+)$/;

/**
 * An imported security's own certificate number (its OCF custom_id), as the class's numbering may
 * take it: null when it cannot be a number here (too long, or characters a file name or a reader
 * would trip on), or when it has the form of another class's numbers (`PA-000001` on a share of
 * class `CS`), which that class would one day give again. In the class's own form, it takes that
 * sequence (`sequence`), and the class's numbering goes on after it.
 */
export function customCertificateNumber(
  custom: string,
  prefix: string,
): { number: string; sequence: number | null } | null {
  if (!CUSTOM_NUMBER.test(custom)) return null;
  const ours = IN_OUR_FORMAT.exec(custom);
  if (!ours) return { number: custom, sequence: null };
  const sequence = Number(ours[2]);
  if (!Number.isSafeInteger(sequence) || sequence < 1) return { number: custom, sequence: null };
  if (formatCertificateNumber(ours[1], sequence) !== custom)
    return { number: custom, sequence: null };
  return ours[1] === prefix ? { number: custom, sequence } : null;
}

/** How a version is named in file names and on the document: "CS-000001-v2". */
export function versionedNumber(certificateNumber: string, version: number): string {
  return `${certificateNumber}-v${version}`;
}

/** Crockford's base32 alphabet: no I, L, O or U, so a code read aloud or typed is unambiguous. */
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const VERIFICATION_CODE_LENGTH = 16;

/** A random verification code of 16 characters (80 bits): not guessable, even without rate limits. */
export function newVerificationCode(): string {
  let code = '';
  for (let i = 0; i < VERIFICATION_CODE_LENGTH; i += 1) code += CODE_ALPHABET[randomInt(32)];
  return code;
}

/**
 * The stored form of a code as a person may type it: case and dashes ignored, and the letters
 * Crockford maps to digits (O → 0, I/L → 1) accepted. Null when it cannot be a code at all.
 */
export function normalizeVerificationCode(input: string): string | null {
  const code = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  const valid = new RegExp(`^[${CODE_ALPHABET}]{${VERIFICATION_CODE_LENGTH}}$`);
  return valid.test(code) ? code : null;
}

/** "ABCD1234EFGH5678" → "ABCD-1234-EFGH-5678", as printed. */
export function groupVerificationCode(code: string): string {
  return code.match(/.{1,4}/g)?.join('-') ?? code;
}
