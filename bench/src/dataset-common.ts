/** What the dataset's parts share: a seeded random source, dates, decimals, names, timed steps. */
import type { Client } from 'pg';

export interface TableLoad {
  step: string;
  rows: number;
  seconds: number;
  /** Bytes streamed through COPY, when COPY was used. */
  copyBytes?: number;
}

/** mulberry32: a small seeded PRNG, so the same sizes always give the same dataset shape. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function uuidFrom(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

/** The seeded random source every part of the dataset draws from, in a fixed order. */
export interface Rng {
  random: () => number;
  uuid: () => string;
}

export function rngOf(seed: number): Rng {
  const random = prng(seed);
  return { random, uuid: () => uuidFrom(random) };
}

export const DAY_MS = 86_400_000;
export const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** numeric with 4 decimals, from an integer number of ten-thousandths. */
export function decimal4(scaled: bigint): string {
  const sign = scaled < 0n ? '-' : '';
  const abs = scaled < 0n ? -scaled : scaled;
  const whole = abs / 10_000n;
  const frac = (abs % 10_000n).toString().padStart(4, '0');
  return `${sign}${whole}.${frac}`;
}

export const FIRST_NAMES = [
  'Ada',
  'Ben',
  'Chloé',
  'David',
  'Elena',
  'Farid',
  'Grace',
  'Hugo',
  'Ines',
  'Jonas',
  'Kira',
  'Luca',
  'Maya',
  'Noah',
  'Olga',
  'Pablo',
  'Quinn',
  'Rosa',
  'Sven',
  'Tara',
  'Umar',
  'Vera',
  'Wen',
  'Xavier',
  'Yara',
  'Zoe',
];
export const LAST_NAMES = [
  'Andersen',
  'Bianchi',
  'Costa',
  'Dubois',
  'Eriksen',
  'Fischer',
  'García',
  'Hoffmann',
  'Ivanova',
  'Jansen',
  'Kowalski',
  'Lefèvre',
  'Müller',
  'Nowak',
  "O'Brien",
  'Petrov',
  'Rossi',
  'Schmidt',
  'Tanaka',
  'Urban',
  'Varga',
  'Weber',
  'Young',
  'Zimmermann',
];
export const INSTITUTIONS = ['Capital', 'Ventures', 'Partners', 'Holdings', 'Fund', 'Trust'];
export const USER_AGENTS = [
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
  'curl/8.5.0',
  'internal-tool/2.3 (+node)',
];

export async function timed<T>(
  loads: TableLoad[],
  step: string,
  work: () => Promise<{ rows: number; copyBytes?: number; value?: T }>,
): Promise<T | undefined> {
  const started = process.hrtime.bigint();
  const { rows, copyBytes, value } = await work();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  loads.push({ step, rows, seconds, ...(copyBytes === undefined ? {} : { copyBytes }) });
  console.log(
    `[bench] loaded ${step}: ${rows.toLocaleString('en')} rows in ${seconds.toFixed(1)} s`,
  );
  return value;
}

/**
 * Makes `client` (the schema owner, to whom row-level security does not apply) write for the
 * deployment's first company: `company_id` defaults to the `app.company_id` setting, here set for
 * the whole session.
 */
export async function actForFirstCompany(client: {
  query(text: string): Promise<unknown>;
}): Promise<void> {
  await client.query(`SELECT set_config('app.company_id', app_first_company_id()::text, false)`);
}

/**
 * When the deployment's first company was created (ms): the companies loaded after it are created
 * later, so that it stays the first (created_at, then id).
 */
export async function firstCompanyCreatedMs(client: Pick<Client, 'query'>): Promise<number> {
  const { rows } = await client.query<{ ms: string }>(
    `SELECT floor(extract(epoch FROM created_at) * 1000)::bigint::text AS ms
       FROM company WHERE id = app_first_company_id()`,
  );
  if (!rows[0]) throw new Error('the first company is missing');
  return Number(rows[0].ms);
}
