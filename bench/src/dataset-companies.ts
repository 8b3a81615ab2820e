/**
 * The small companies of the multi-company dataset, beside the big one: per company a `company`
 * row (set up), one Common class, its holders (the same email pattern in every company, as
 * unrelated companies have), one issuance per holder with `share_class.issued_shares` their sum,
 * and one `shareholder_version` per holder like the big company's. Drawn from a random source of
 * their own, so the big company's dataset stays the same, and loaded with COPY as the owner with
 * explicit `company_id` values.
 */
import type { Client } from 'pg';
import type { EventActor } from '../../src/events';
import { copyInto, copyLine, textArray } from './copy';
import {
  DAY_MS,
  decimal4,
  firstCompanyCreatedMs,
  FIRST_NAMES,
  INSTITUTIONS,
  isoDate,
  LAST_NAMES,
  Rng,
  rngOf,
  TableLoad,
  timed,
} from './dataset-common';
import type { Calendar } from './dataset-ledger';

/** Not the big company's seed: its sequence of draws is untouched by the small companies. */
const SMALL_COMPANIES_SEED = 20_260_202;

const TRADES = ['Labs', 'Robotics', 'Bio', 'Systems', 'Foods', 'Energy', 'Software', 'Design'];

interface SmallHolder {
  id: string;
  name: string;
  email: string;
  type: 'INDIVIDUAL' | 'INSTITUTION';
  createdAt: string;
}

interface SmallIssuance {
  id: string;
  holderId: string;
  shares: number;
  price: string;
  total: string;
  date: string;
  createdAt: string;
  requestId: string;
}

export interface SmallCompany {
  id: string;
  legalName: string;
  formationDate: string;
  createdAt: string;
  classId: string;
  authorized: bigint;
  issued: bigint;
  holders: SmallHolder[];
  issuances: SmallIssuance[];
}

/** One company formed within the big company's 5 years; its holders and their one issuance. */
export function smallCompanyOf(
  { random, uuid }: Rng,
  createdAt: Date,
  holders: number,
  calendar: Calendar,
): SmallCompany {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const id = uuid();
  const legalName = `${pick(LAST_NAMES)} ${pick(TRADES)} AG`;
  const formedDay = Math.floor(random() * Math.max(1, calendar.spanDays - 30));
  const formation = calendar.formation + formedDay * DAY_MS;
  const lifeDays = Math.max(1, Math.floor((calendar.lastIssueDay - formation) / DAY_MS));
  const classId = uuid();
  const company: SmallCompany = {
    id,
    legalName,
    formationDate: isoDate(formation),
    createdAt: createdAt.toISOString(),
    classId,
    // Enough for every holder's largest issuance.
    authorized: BigInt(Math.max(10_000_000, holders * 100_000)),
    issued: 0n,
    holders: [],
    issuances: [],
  };
  for (let i = 0; i < holders; i += 1) {
    const institution = random() < 0.1;
    const last = pick(LAST_NAMES);
    const holder: SmallHolder = {
      id: uuid(),
      name: institution ? `${last} ${pick(INSTITUTIONS)}` : `${pick(FIRST_NAMES)} ${last}`,
      email: `holder${String(i).padStart(5, '0')}@bench.example`,
      type: institution ? 'INSTITUTION' : 'INDIVIDUAL',
      createdAt: new Date(formation + Math.floor(random() * lifeDays * DAY_MS)).toISOString(),
    };
    const shares = 1_000 + Math.floor(random() * 99_000);
    const priceScaled = BigInt(100 + Math.floor(random() * 20_000));
    const dateMs = formation + Math.floor(random() * (lifeDays + 1)) * DAY_MS;
    company.holders.push(holder);
    company.issuances.push({
      id: uuid(),
      holderId: holder.id,
      shares,
      price: decimal4(priceScaled),
      total: decimal4(priceScaled * BigInt(shares)),
      date: isoDate(dateMs),
      createdAt: new Date(dateMs + 9 * 3_600_000).toISOString(),
      requestId: uuid(),
    });
    company.issued += BigInt(shares);
  }
  return company;
}

export async function copyCompanies(
  client: Client,
  loads: TableLoad[],
  companies: SmallCompany[],
  label = 'small companies',
): Promise<void> {
  await timed(loads, `${label}: company + share_class (COPY)`, async () => {
    const c = await copyInto(
      client,
      'company',
      [
        'id',
        'legal_name',
        'country',
        'formation_date',
        'default_currency',
        'version',
        'created_at',
        'updated_at',
      ],
      companies.map((co) =>
        copyLine([
          co.id,
          co.legalName,
          'CH',
          co.formationDate,
          'CHF',
          1,
          co.createdAt,
          co.createdAt,
        ]),
      ),
    );
    const s = await copyInto(
      client,
      'share_class',
      [
        'company_id',
        'id',
        'name',
        'type',
        'authorized_shares',
        'issued_shares',
        'par_value',
        'votes_per_share',
        'certificate_prefix',
        'seniority',
      ],
      companies.map((co) =>
        copyLine([
          co.id,
          co.classId,
          'Common',
          'COMMON',
          co.authorized,
          co.issued,
          '0.0100',
          1,
          'CS',
          0,
        ]),
      ),
    );
    return { rows: c.rows + s.rows, copyBytes: c.bytes + s.bytes };
  });
}

export async function copyHolders(
  client: Client,
  loads: TableLoad[],
  companies: SmallCompany[],
  admin: EventActor,
  label = 'small companies',
): Promise<void> {
  await timed(loads, `${label}: shareholder + shareholder_version (COPY)`, async () => {
    const h = await copyInto(
      client,
      'shareholder',
      ['company_id', 'id', 'name', 'email', 'type', 'version', 'created_at', 'updated_at'],
      companies.flatMap((co) =>
        co.holders.map((x) =>
          copyLine([co.id, x.id, x.name, x.email, x.type, 1, x.createdAt, x.createdAt]),
        ),
      ),
    );
    const after = (x: SmallHolder): string =>
      JSON.stringify({
        id: x.id,
        name: x.name,
        email: x.email,
        type: x.type,
        user_id: null,
        version: 1,
        phone: null,
        address: null,
        tax_id: null,
      });
    const v = await copyInto(
      client,
      'shareholder_version',
      [
        'company_id',
        'shareholder_id',
        'version',
        'change',
        'changed_fields',
        'before',
        'after',
        'actor_sub',
        'actor_name',
        'changed_at',
      ],
      companies.flatMap((co) =>
        co.holders.map((x) =>
          copyLine([
            co.id,
            x.id,
            1,
            'CREATED',
            textArray(['name', 'email', 'type']),
            null,
            after(x),
            admin.sub,
            admin.name,
            x.createdAt,
          ]),
        ),
      ),
    );
    return { rows: h.rows + v.rows, copyBytes: h.bytes + v.bytes };
  });
}

export async function copyIssuances(
  client: Client,
  loads: TableLoad[],
  companies: SmallCompany[],
  admin: EventActor,
  label = 'small companies',
): Promise<void> {
  await timed(loads, `${label}: issuance (COPY)`, async () => {
    const stats = await copyInto(
      client,
      'issuance',
      [
        'company_id',
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
      ],
      companies.flatMap((co) =>
        co.issuances.map((i) =>
          copyLine([
            co.id,
            i.id,
            i.holderId,
            co.classId,
            i.shares,
            i.price,
            i.total,
            'CHF',
            i.date,
            i.createdAt,
            admin.sub,
            admin.name,
            i.requestId,
          ]),
        ),
      ),
    );
    return { rows: stats.rows, copyBytes: stats.bytes };
  });
}

/** Loads `count` small companies of `holders` holders each; answers their ids, in load order. */
export async function loadSmallCompanies(
  client: Client,
  loads: TableLoad[],
  count: number,
  holders: number,
  calendar: Calendar,
  admin: EventActor,
): Promise<string[]> {
  if (count === 0) return [];
  const rng = rngOf(SMALL_COMPANIES_SEED);
  const after = await firstCompanyCreatedMs(client);
  const companies = Array.from({ length: count }, (_, i) =>
    smallCompanyOf(rng, new Date(after + 1 + i), holders, calendar),
  );
  await copyCompanies(client, loads, companies);
  await copyHolders(client, loads, companies, admin);
  await copyIssuances(client, loads, companies, admin);
  return companies.map((co) => co.id);
}
