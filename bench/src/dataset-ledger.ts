/**
 * The ledger part of the dataset: 1 company, 3 share classes (the seed preferred convertible into
 * common), holders (sensitive fields left NULL), issuances over 5 years with `total_amount =
 * number_of_shares × price` exact, then the stock ledger's transactions and splits
 * (`dataset-transactions.ts`, loaded by `dataset-ledger-copy.ts`), and `share_class.issued_shares`
 * recomputed from the outstanding securities.
 */
import type { Client } from 'pg';
import type { EventActor } from '../../src/events';
import { copyInto, copyLine } from './copy';
import { loadTransactions } from './dataset-ledger-copy';
import { CONVERSION_RATIO, SimulatedLedger } from './dataset-ledger-model';
import { simulateLedger } from './dataset-transactions';
import {
  actForFirstCompany,
  DAY_MS,
  decimal4,
  FIRST_NAMES,
  INSTITUTIONS,
  isoDate,
  LAST_NAMES,
  Rng,
  TableLoad,
  timed,
} from './dataset-common';
import type { Sizes } from './options';

export interface ShareClassRow {
  id: string;
  name: string;
  type: 'COMMON' | 'PREFERRED';
  prefix: string;
  votes: number;
  parValue: string;
  seniority: number;
  /** The class it converts into (by index), at CONVERSION_RATIO. */
  convertsTo?: number;
}

export interface HolderRow {
  id: string;
  name: string;
  email: string;
  type: string;
  createdAt: string;
}

export interface IssuanceRow {
  id: string;
  holder: number;
  shareClass: number;
  shares: number;
  price: string;
  total: string;
  date: string;
  createdAt: string;
  byInternalTool: boolean;
}

/** The company's 5 years: formed on the 1st of this month 5 years ago, last issue 2 days ago. */
export interface Calendar {
  formation: number;
  lastIssueDay: number;
  spanDays: number;
}

export interface Ledger extends Calendar {
  companyName: string;
  authorized: bigint;
  classes: ShareClassRow[];
  holders: HolderRow[];
  /** The original issuances (no transaction created them), in creation order. */
  issuances: IssuanceRow[];
  /** Every security, transaction and split of the ledger. */
  simulated: SimulatedLedger;
}

/** Who the ledger's rows were written by: the admin, or the internal tool for about 30%. */
export interface Writers {
  admin: EventActor;
  shareholder1: EventActor;
  internalTool: EventActor;
}

function calendarOf(now: number): Calendar {
  const formation = Date.UTC(new Date(now).getUTCFullYear() - 5, new Date(now).getUTCMonth(), 1);
  const lastIssueDay = Math.floor(now / DAY_MS) * DAY_MS - 2 * DAY_MS;
  const spanDays = Math.floor((lastIssueDay - formation) / DAY_MS);
  return { formation, lastIssueDay, spanDays };
}

function shareClassesOf({ uuid }: Rng): ShareClassRow[] {
  const row = (
    name: string,
    type: ShareClassRow['type'],
    prefix: string,
    votes: number,
    seniority: number,
  ): ShareClassRow => ({ id: uuid(), name, type, prefix, votes, parValue: '0.0100', seniority });
  return [
    row('Common', 'COMMON', 'CS', 1, 0),
    { ...row('Seed Preferred', 'PREFERRED', 'PS', 1, 1), convertsTo: 0 },
    row('Series A Preferred', 'PREFERRED', 'PA', 10, 2),
  ];
}

async function loadCompany(
  client: Client,
  loads: TableLoad[],
  rng: Rng,
  ledger: Pick<Ledger, 'companyName' | 'formation' | 'classes' | 'authorized'>,
): Promise<void> {
  const { classes } = ledger;
  await timed(loads, 'company + share_class', async () => {
    // The deployment's first company (made by the migrations, not set up yet) is the one the
    // API's unscoped routes address; every row loaded after it is its (company_id's default).
    rng.uuid(); // the id a company of its own once took: the rest of the dataset stays the same
    await client.query(
      `UPDATE company SET legal_name = $1, country = 'CH', formation_date = $2, default_currency = 'CHF', version = 1
        WHERE id = app_first_company_id()`,
      [ledger.companyName, isoDate(ledger.formation)],
    );
    await actForFirstCompany(client);
    for (const c of classes) {
      const convertsTo = c.convertsTo === undefined ? null : classes[c.convertsTo].id;
      await client.query(
        `INSERT INTO share_class (id, name, type, authorized_shares, issued_shares, par_value, votes_per_share, certificate_prefix, seniority, legend_text,
                                  converts_to_share_class_id, conversion_numerator, conversion_denominator)
         VALUES ($1, $2, $3, $4, 0, $5, $6, $7, $8, $9, $10, $11, $12)`,
        [
          c.id,
          c.name,
          c.type,
          ledger.authorized.toString(),
          c.parValue,
          c.votes,
          c.prefix,
          c.seniority,
          c.type === 'PREFERRED' ? 'Subject to the shareholders agreement.' : null,
          convertsTo,
          convertsTo ? CONVERSION_RATIO.numerator : 1,
          convertsTo ? CONVERSION_RATIO.denominator : 1,
        ],
      );
    }
    return { rows: 1 + classes.length };
  });
}

function holdersOf({ random, uuid }: Rng, count: number, calendar: Calendar): HolderRow[] {
  return Array.from({ length: count }, (_, i) => {
    const institution = random() < 0.1;
    const first = FIRST_NAMES[Math.floor(random() * FIRST_NAMES.length)];
    const last = LAST_NAMES[Math.floor(random() * LAST_NAMES.length)];
    const name = institution
      ? `${last} ${INSTITUTIONS[Math.floor(random() * INSTITUTIONS.length)]}`
      : `${first} ${last}`;
    return {
      id: uuid(),
      name,
      email: `holder${String(i).padStart(5, '0')}@bench.example`,
      type: institution ? 'INSTITUTION' : 'INDIVIDUAL',
      createdAt: new Date(
        calendar.formation + Math.floor(random() * calendar.spanDays * DAY_MS),
      ).toISOString(),
    };
  });
}

/** Holder 0 is linked to the Keycloak user shareholder1, for the owner reads. */
async function loadHolders(
  client: Client,
  loads: TableLoad[],
  holders: HolderRow[],
  writers: Writers,
): Promise<void> {
  await timed(loads, 'shareholder (COPY)', async () => {
    const stats = await copyInto(
      client,
      'shareholder',
      ['id', 'name', 'email', 'type', 'user_id', 'version', 'created_at', 'updated_at'],
      holders.map((h, i) =>
        copyLine([
          h.id,
          h.name,
          h.email,
          h.type,
          i === 0 ? writers.shareholder1.sub : null,
          1,
          h.createdAt,
          h.createdAt,
        ]),
      ),
    );
    return { rows: stats.rows, copyBytes: stats.bytes };
  });
  await timed(loads, 'shareholder_version (INSERT … SELECT)', async () => {
    const result = await client.query(
      `INSERT INTO shareholder_version (shareholder_id, version, change, changed_fields, before, after, actor_sub, actor_name, changed_at)
       SELECT id, 1, 'CREATED', ARRAY['name','email','type'], NULL,
              jsonb_build_object('id', id, 'name', name, 'email', email, 'type', type, 'user_id', NULL, 'version', 1,
                                 'phone', NULL, 'address', NULL, 'tax_id', NULL),
              $1, 'admin', created_at
         FROM shareholder WHERE company_id = app_first_company_id()`,
      [writers.admin.sub],
    );
    return { rows: result.rowCount ?? 0 };
  });
}

/** Mostly common shares; prices of common shares rise over the years. */
function issuanceOf({ random, uuid }: Rng, i: number, sizes: Sizes, calendar: Calendar) {
  const { formation, spanDays } = calendar;
  const day = Math.floor(random() * (spanDays + 1));
  const progress = day / spanDays;
  const r = random();
  const shareClass = r < 0.8 ? 0 : r < 0.92 ? 1 : 2;
  const shares =
    shareClass === 0 ? 100 + Math.floor(random() * 9_900) : 1_000 + Math.floor(random() * 99_000);
  const priceScaled = BigInt(
    shareClass === 0
      ? 100 + Math.floor((0.05 + 1.95 * progress * progress) * 10_000 * random())
      : shareClass === 1
        ? 5_000 + Math.floor(random() * 5_000)
        : 20_000 + Math.floor(random() * 10_000),
  );
  const dateMs = formation + day * DAY_MS;
  return {
    id: uuid(),
    // Every holder gets at least one issuance; the rest are spread at random.
    holder: i < sizes.holders ? i : Math.floor(random() * sizes.holders),
    shareClass,
    shares,
    price: decimal4(priceScaled),
    total: decimal4(priceScaled * BigInt(shares)),
    date: isoDate(dateMs),
    createdAt: new Date(
      dateMs + 8 * 3_600_000 + Math.floor(random() * 10 * 3_600_000),
    ).toISOString(),
    byInternalTool: random() < 0.3,
  };
}

/** In the order they were created. */
function issuancesOf(rng: Rng, sizes: Sizes, calendar: Calendar): IssuanceRow[] {
  const issuances: IssuanceRow[] = [];
  for (let i = 0; i < sizes.issuances; i += 1) issuances.push(issuanceOf(rng, i, sizes, calendar));
  issuances.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
  return issuances;
}

const ISSUANCE_COLUMNS = [
  'id',
  'shareholder_id',
  'share_class_id',
  'number_of_shares',
  'price',
  'total_amount',
  'currency',
  'date',
  'created_at',
  'created_by_sub',
  'created_by',
  'request_id',
];

async function loadIssuances(
  client: Client,
  loads: TableLoad[],
  rng: Rng,
  ledger: Pick<Ledger, 'holders' | 'classes' | 'issuances'>,
  writers: Writers,
): Promise<void> {
  const { holders, classes } = ledger;
  await timed(loads, 'issuance (COPY)', async () => {
    const lines = ledger.issuances.map((row) => {
      const actor = row.byInternalTool ? writers.internalTool : writers.admin;
      return copyLine([
        row.id,
        (holders[row.holder] as { id: string }).id,
        classes[row.shareClass].id,
        row.shares,
        row.price,
        row.total,
        'CHF',
        row.date,
        row.createdAt,
        actor.sub,
        actor.name,
        rng.uuid(),
      ]);
    });
    const stats = await copyInto(client, 'issuance', ISSUANCE_COLUMNS, lines);
    return { rows: stats.rows, copyBytes: stats.bytes };
  });
}

export async function loadLedger(
  client: Client,
  loads: TableLoad[],
  rng: Rng,
  sizes: Sizes,
  writers: Writers,
): Promise<Ledger> {
  const calendar = calendarOf(Date.now());
  const classes = shareClassesOf(rng);
  const company = {
    ...calendar,
    companyName: 'Benchmark Industries AG',
    authorized: 10_000_000_000n,
    classes,
  };
  await loadCompany(client, loads, rng, company);
  const holders = holdersOf(rng, sizes.holders, calendar);
  if (!holders[0]) throw new Error('the dataset needs at least one holder');
  await loadHolders(client, loads, holders, writers);
  const issuances = issuancesOf(rng, sizes, calendar);
  await loadIssuances(client, loads, rng, { holders, classes, issuances }, writers);
  const simulated = simulateLedger(issuances, sizes, calendar, company.authorized, classes.length);
  await loadTransactions(client, loads, simulated, {
    holderIds: holders.map((h) => h.id),
    classIds: classes.map((c) => c.id),
    writers,
    currency: 'CHF',
  });
  return { ...company, holders, issuances, simulated };
}
