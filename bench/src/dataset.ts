/**
 * The benchmark dataset, loaded with COPY (no request per row): 1 company, 3 share classes,
 * holders, issuances over 5 years, and an audit log whose hash chain is computed here with the
 * service's own canonical form (`entryHash(chainedFieldsOf(...))`), so `GET /api/audit/verify`
 * accepts it and the service appends to it as to its own.
 */
import 'reflect-metadata';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { ChainedFields, entryHash, GENESIS_HASH } from '../../src/audit/audit-chain';
import type { AuditEntry } from '../../src/audit/audit-entry.entity';
import { searchTextOf } from '../../src/audit/audit-search-text';
import { chainedFieldsOf } from '../../src/audit/audit-writer.service';
import { buildDataSourceOptions } from '../../src/core/db/typeorm-options';
import type { EventActor } from '../../src/events/outbox-event.entity';
import { copyInto, copyLine, textArray } from './copy';
import type { Sizes } from './options';

export interface TableLoad {
  step: string;
  rows: number;
  seconds: number;
  /** Bytes streamed through COPY, when COPY was used. */
  copyBytes?: number;
}

export interface Actors {
  admin: EventActor;
  auditor: EventActor;
  shareholder1: EventActor;
}

export interface Dataset {
  loads: TableLoad[];
  totalSeconds: number;
  companyName: string;
  classIds: string[];
  holderIds: string[];
  /** Issuances read by the admin read test (random sample). */
  readIssuanceIds: string[];
  /** The linked holder (shareholder1) and its issuances, for owner reads. */
  ownerHolderId: string;
  ownerIssuanceIds: string[];
  /** Issuances set aside for on-demand certificate rendering (none has a certificate). */
  certificateIssuanceIds: string[];
  firstDate: string;
  lastDate: string;
  midDate: string;
  /** The audit filter of the benchmark: actor + action + a one-year window. */
  auditFilter: { actor: string; action: string; from: string; to: string };
  /** A window holding exactly `exportEntries` audit entries. */
  exportWindow: { from: string; to: string; entries: number };
  auditHead: { seq: number; hash: string };
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

const DAY_MS = 86_400_000;
const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** numeric with 4 decimals, from an integer number of ten-thousandths. */
function decimal4(scaled: bigint): string {
  const sign = scaled < 0n ? '-' : '';
  const abs = scaled < 0n ? -scaled : scaled;
  const whole = abs / 10_000n;
  const frac = (abs % 10_000n).toString().padStart(4, '0');
  return `${sign}${whole}.${frac}`;
}

const FIRST_NAMES = [
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
const LAST_NAMES = [
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
const INSTITUTIONS = ['Capital', 'Ventures', 'Partners', 'Holdings', 'Fund', 'Trust'];
const USER_AGENTS = [
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
  'curl/8.5.0',
  'internal-tool/2.3 (+node)',
];

interface ShareClassRow {
  id: string;
  name: string;
  type: 'COMMON' | 'PREFERRED';
  prefix: string;
  votes: number;
  parValue: string;
  seniority: number;
}

interface IssuanceRow {
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

export async function createDatabase(adminUrl: string, name: string): Promise<void> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/** The service's own migrations, through the same TypeORM options as the app. */
export async function migrate(url: string): Promise<number> {
  const dataSource = new DataSource(buildDataSourceOptions(url, 2));
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.length;
  } finally {
    await dataSource.destroy();
  }
}

async function timed<T>(
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

export async function loadDataset(
  url: string,
  sizes: Sizes,
  actors: Actors,
  exportEntries: number,
): Promise<Dataset> {
  const started = process.hrtime.bigint();
  const random = prng(20_260_101);
  const uuid = () => uuidFrom(random);
  const loads: TableLoad[] = [];
  const client = new Client({ connectionString: url, application_name: 'bench-loader' });
  await client.connect();
  await client.query(`SET maintenance_work_mem = '512MB'`);
  const internalTool: EventActor = {
    sub: uuid(),
    name: 'internal-tool',
    client_id: 'internal-tool',
    roles: ['admin'],
  };

  try {
    // --- company and share classes ---------------------------------------------------------
    const now = Date.now();
    const formation = Date.UTC(new Date(now).getUTCFullYear() - 5, new Date(now).getUTCMonth(), 1);
    const lastIssueDay = Math.floor(now / DAY_MS) * DAY_MS - 2 * DAY_MS;
    const spanDays = Math.floor((lastIssueDay - formation) / DAY_MS);
    const companyName = 'Benchmark Industries AG';
    const classes: ShareClassRow[] = [
      {
        id: uuid(),
        name: 'Common',
        type: 'COMMON',
        prefix: 'CS',
        votes: 1,
        parValue: '0.0100',
        seniority: 0,
      },
      {
        id: uuid(),
        name: 'Seed Preferred',
        type: 'PREFERRED',
        prefix: 'PS',
        votes: 1,
        parValue: '0.0100',
        seniority: 1,
      },
      {
        id: uuid(),
        name: 'Series A Preferred',
        type: 'PREFERRED',
        prefix: 'PA',
        votes: 10,
        parValue: '0.0100',
        seniority: 2,
      },
    ];
    const authorized = 10_000_000_000n;
    await timed(loads, 'company + share_class', async () => {
      await client.query(
        `INSERT INTO company (id, legal_name, country, formation_date, default_currency)
         VALUES ($1, $2, 'CH', $3, 'CHF')`,
        [uuid(), companyName, isoDate(formation)],
      );
      for (const c of classes) {
        await client.query(
          `INSERT INTO share_class (id, name, type, authorized_shares, issued_shares, par_value, votes_per_share, certificate_prefix, seniority, legend_text)
           VALUES ($1, $2, $3, $4, 0, $5, $6, $7, $8, $9)`,
          [
            c.id,
            c.name,
            c.type,
            authorized.toString(),
            c.parValue,
            c.votes,
            c.prefix,
            c.seniority,
            c.type === 'PREFERRED' ? 'Subject to the shareholders agreement.' : null,
          ],
        );
      }
      return { rows: 1 + classes.length };
    });

    // --- shareholders (sensitive fields left NULL) -------------------------------------------
    const holders = Array.from({ length: sizes.holders }, (_, i) => {
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
        createdAt: new Date(formation + Math.floor(random() * spanDays * DAY_MS)).toISOString(),
      };
    });
    const owner = holders[0];
    if (!owner) throw new Error('the dataset needs at least one holder');
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
            i === 0 ? actors.shareholder1.sub : null,
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
           FROM shareholder`,
        [actors.admin.sub],
      );
      return { rows: result.rowCount ?? 0 };
    });

    // --- issuances over 5 years --------------------------------------------------------------
    const issuances: IssuanceRow[] = [];
    for (let i = 0; i < sizes.issuances; i += 1) {
      const day = Math.floor(random() * (spanDays + 1));
      const progress = day / spanDays;
      const r = random();
      const shareClass = r < 0.8 ? 0 : r < 0.92 ? 1 : 2;
      const shares =
        shareClass === 0
          ? 100 + Math.floor(random() * 9_900)
          : 1_000 + Math.floor(random() * 99_000);
      const priceScaled = BigInt(
        shareClass === 0
          ? 100 + Math.floor((0.05 + 1.95 * progress * progress) * 10_000 * random())
          : shareClass === 1
            ? 5_000 + Math.floor(random() * 5_000)
            : 20_000 + Math.floor(random() * 10_000),
      );
      const dateMs = formation + day * DAY_MS;
      issuances.push({
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
      });
    }
    issuances.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
    await timed(loads, 'issuance (COPY)', async () => {
      const stats = await copyInto(
        client,
        'issuance',
        [
          'id',
          'shareholder_id',
          'share_class_id',
          'number_of_shares',
          'price',
          'total_amount',
          'currency',
          'date',
          'certificate_number',
          'created_at',
          'created_by_sub',
          'created_by',
          'request_id',
        ],
        issuances.map((row) => {
          const actor = row.byInternalTool ? internalTool : actors.admin;
          return copyLine([
            row.id,
            (holders[row.holder] as { id: string }).id,
            classes[row.shareClass].id,
            row.shares,
            row.price,
            row.total,
            'CHF',
            row.date,
            null,
            row.createdAt,
            actor.sub,
            actor.name,
            uuid(),
          ]);
        }),
      );
      return { rows: stats.rows, copyBytes: stats.bytes };
    });
    await timed(loads, 'share_class.issued_shares (from the ledger)', async () => {
      const result = await client.query(
        `UPDATE share_class c SET issued_shares = s.total
           FROM (SELECT share_class_id, SUM(number_of_shares) AS total FROM issuance GROUP BY 1) s
          WHERE c.id = s.share_class_id`,
      );
      return { rows: result.rowCount ?? 0 };
    });

    // --- audit log with a valid hash chain ------------------------------------------------
    const { rows: indexRows } = await client.query<{ indexname: string; indexdef: string }>(
      `SELECT indexname, indexdef FROM pg_indexes
        WHERE schemaname = 'public' AND tablename = 'audit_entry' AND indexname <> 'pk_audit_entry'`,
    );
    for (const index of indexRows) await client.query(`DROP INDEX "${index.indexname}"`);

    const total = sizes.auditEntries;
    const auditStart = formation + 3_600_000;
    const auditEnd = lastIssueDay + DAY_MS - 3_600_000;
    const step = (auditEnd - auditStart) / total;
    const occurredAt = (seq: number): number =>
      auditStart + Math.floor((seq - 1) * step) + Math.floor(random() * step * 0.8);
    const holderLogins: EventActor[] = [
      actors.shareholder1,
      ...Array.from({ length: 200 }, (_, i) => ({
        sub: uuid(),
        name: `holder${String(i + 1).padStart(5, '0')}`,
        client_id: 'corporate-os-cli',
        roles: ['shareholder'],
      })),
    ];
    const fixed = 1 + classes.length; // company.updated + share_class.created
    const rest = total - fixed - issuances.length - holders.length;
    if (rest < 0) throw new Error('auditEntries must exceed issuances + holders + 4');
    const categories = [
      { kind: 'issuance', count: issuances.length },
      { kind: 'holder', count: holders.length },
      { kind: 'login_ok', count: Math.floor(rest * 0.6) },
      { kind: 'login_failed', count: Math.floor(rest * 0.15) },
      { kind: 'denied', count: Math.floor(rest * 0.15) },
      { kind: 'holder_updated', count: 0 },
    ];
    const last = categories[categories.length - 1] as { count: number };
    last.count = total - fixed - categories.reduce((acc, c) => acc + c.count, 0);
    const assigned = categories.map(() => 0);
    const spread = total - fixed;
    let nextIssuance = 0;
    let nextHolder = 0;
    let prevHash = GENESIS_HASH;
    let head = { seq: 0, hash: GENESIS_HASH };

    const pickFrom = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    const withMeta = (actor: EventActor): EventActor => ({
      ...actor,
      ip: `10.${Math.floor(random() * 255)}.${Math.floor(random() * 255)}.${1 + Math.floor(random() * 250)}`,
      user_agent: pickFrom(USER_AGENTS),
    });

    function* auditLines(): Generator<string> {
      for (let seq = 1; seq <= total; seq += 1) {
        let actor: EventActor;
        let action: string;
        let entityType: string;
        let entityId: string | null;
        let before: object | null = null;
        let after: object | null;
        let outcome = 'success';
        if (seq === 1) {
          actor = withMeta(actors.admin);
          action = 'company.updated';
          entityType = 'company';
          entityId = null;
          after = {
            legal_name: companyName,
            country: 'CH',
            formation_date: isoDate(formation),
            default_currency: 'CHF',
          };
        } else if (seq <= fixed) {
          const c = classes[seq - 2];
          actor = withMeta(actors.admin);
          action = 'share_class.created';
          entityType = 'share_class';
          entityId = c.id;
          after = {
            id: c.id,
            name: c.name,
            type: c.type,
            authorized_shares: Number(authorized),
            par_value: c.parValue,
            votes_per_share: c.votes,
            certificate_prefix: c.prefix,
            seniority: c.seniority,
            legend_text: null,
          };
        } else {
          // Spread every category evenly over time: take the one furthest behind its share.
          const k = seq - fixed;
          let chosen = 0;
          let deficit = -Infinity;
          categories.forEach((c, i) => {
            const d = (k * c.count) / spread - assigned[i];
            if (d > deficit) {
              deficit = d;
              chosen = i;
            }
          });
          assigned[chosen] = assigned[chosen] + 1;
          const kind = (categories[chosen] as { kind: string }).kind;
          if (kind === 'issuance') {
            const row = issuances[nextIssuance++];
            actor = withMeta(row.byInternalTool ? internalTool : actors.admin);
            action = 'issuance.created';
            entityType = 'issuance';
            entityId = row.id;
            after = {
              id: row.id,
              shareholder_id: (holders[row.holder] as { id: string }).id,
              share_class_id: classes[row.shareClass].id,
              number_of_shares: row.shares,
              price: row.price,
              total_amount: row.total,
              currency: 'CHF',
              date: row.date,
            };
          } else if (kind === 'holder' || kind === 'holder_updated') {
            const h = kind === 'holder' ? holders[nextHolder++] : pickFrom(holders);
            actor = withMeta(actors.admin);
            entityType = 'shareholder';
            entityId = h.id;
            const snapshot = {
              id: h.id,
              name: h.name,
              email: h.email,
              type: h.type,
              user_id: null,
              version: 1,
              phone: null,
              address: null,
              tax_id: null,
            };
            if (kind === 'holder') {
              action = 'shareholder.created';
              after = snapshot;
            } else {
              action = 'shareholder.updated';
              before = snapshot;
              after = { ...snapshot, name: `${h.name} (updated)`, version: 2 };
            }
          } else if (kind === 'login_ok') {
            const who = random();
            const base =
              who < 0.2 ? actors.admin : who < 0.35 ? actors.auditor : pickFrom(holderLogins);
            actor = withMeta(base);
            action = 'auth.login_succeeded';
            entityType = 'user';
            entityId = base.sub;
            after = { username: base.name, client_id: base.client_id, outcome: 'success' };
          } else if (kind === 'login_failed') {
            const username = pickFrom(holderLogins).name;
            actor = withMeta({ sub: '', name: username, client_id: 'corporate-os-cli', roles: [] });
            action = 'auth.login_failed';
            entityType = 'user';
            entityId = username;
            outcome = 'failure';
            after = {
              username,
              client_id: 'corporate-os-cli',
              outcome: 'failure',
              reason: 'invalid_grant',
            };
          } else {
            const base = pickFrom(holderLogins);
            actor = withMeta(base);
            action = 'access.denied';
            entityType = 'route';
            entityId = 'GET /api/shareholders/';
            outcome = 'denied';
            after = {
              method: 'GET',
              path: '/api/shareholders/',
              required_roles: ['admin'],
              roles: base.roles,
            };
          }
        }
        const occurred = occurredAt(seq);
        const entry = {
          seq: String(seq),
          occurredAt: new Date(occurred),
          recordedAt: new Date(occurred + 2 + Math.floor(random() * 40)),
          actorSub: actor.sub,
          actorName: actor.name,
          actorClientId: actor.client_id,
          actorRoles: actor.roles,
          action,
          entityType,
          entityId,
          before,
          after,
          requestId: uuid(),
          ip: actor.ip ?? null,
          userAgent: actor.user_agent ?? null,
          outcome,
          sourceEventId: uuid(),
          prevHash,
        };
        const fields: ChainedFields = chainedFieldsOf({
          ...entry,
          hash: '',
        } as unknown as AuditEntry);
        const hash = entryHash(fields);
        prevHash = hash;
        head = { seq, hash };
        yield copyLine([
          seq,
          fields.occurred_at,
          fields.recorded_at,
          entry.actorSub,
          entry.actorName,
          entry.actorClientId,
          textArray(entry.actorRoles),
          action,
          entityType,
          entityId,
          before === null ? null : JSON.stringify(before),
          after === null ? null : JSON.stringify(after),
          entry.requestId,
          entry.ip,
          entry.userAgent,
          outcome,
          entry.sourceEventId,
          searchTextOf({ actor, action, entityType, entityId, before, after }),
          entry.prevHash,
          hash,
        ]);
      }
    }

    await timed(loads, 'audit_entry (hash chain + COPY)', async () => {
      const stats = await copyInto(
        client,
        'audit_entry',
        [
          'seq',
          'occurred_at',
          'recorded_at',
          'actor_sub',
          'actor_name',
          'actor_client_id',
          'actor_roles',
          'action',
          'entity_type',
          'entity_id',
          'before',
          'after',
          'request_id',
          'ip',
          'user_agent',
          'outcome',
          'source_event_id',
          'search_text',
          'prev_hash',
          'hash',
        ],
        auditLines(),
      );
      return { rows: stats.rows, copyBytes: stats.bytes };
    });
    await timed(
      loads,
      `audit_entry indexes (${indexRows.length}, rebuilt after COPY)`,
      async () => {
        for (const index of indexRows) await client.query(index.indexdef);
        return { rows: total };
      },
    );
    await timed(loads, 'VACUUM ANALYZE + CHECKPOINT', async () => {
      // Visibility map and statistics as a long-running database has them, and no checkpoint
      // flushing the load's dirty pages while the measurements run.
      await client.query('VACUUM ANALYZE');
      await client.query('CHECKPOINT');
      return { rows: 0 };
    });

    // --- what the measurements need -------------------------------------------------------
    const shuffled = [...issuances].sort(() => random() - 0.5);
    const certificatePool = shuffled.slice(0, Math.min(8_000, Math.floor(shuffled.length / 4)));
    const readPool = shuffled.slice(certificatePool.length, certificatePool.length + 2_000);
    const ownerIssuanceIds = issuances.filter((row) => row.holder === 0).map((row) => row.id);
    const midMs = formation + Math.floor(spanDays / 2) * DAY_MS;
    const at = async (seq: number): Promise<string> => {
      const { rows } = await client.query<{ at: Date }>(
        'SELECT occurred_at AS at FROM audit_entry WHERE seq = $1',
        [seq],
      );
      const found = rows[0];
      if (!found) throw new Error(`audit entry ${seq} is missing`);
      return found.at.toISOString();
    };
    const exportCount = Math.min(exportEntries, total - 2);
    const exportFirst = Math.max(1, Math.floor(total / 2 - exportCount / 2));
    const year = 365 * DAY_MS;
    const filterFrom = auditStart + Math.floor((auditEnd - auditStart) / 2 - year / 2);
    return {
      loads,
      totalSeconds: Number(process.hrtime.bigint() - started) / 1e9,
      companyName,
      classIds: classes.map((c) => c.id),
      holderIds: holders.map((h) => h.id),
      readIssuanceIds: readPool.map((row) => row.id),
      ownerHolderId: owner.id,
      ownerIssuanceIds,
      certificateIssuanceIds: certificatePool.map((row) => row.id),
      firstDate: isoDate(formation),
      lastDate: isoDate(lastIssueDay),
      midDate: isoDate(midMs),
      auditFilter: {
        actor: actors.admin.name,
        action: 'issuance.created',
        from: new Date(filterFrom).toISOString(),
        to: new Date(filterFrom + year).toISOString(),
      },
      exportWindow: {
        from: await at(exportFirst),
        to: await at(exportFirst + exportCount),
        entries: exportCount,
      },
      auditHead: head,
    };
  } finally {
    await client.end();
  }
}
