import { randomBytes } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { AuditWriter } from '../../src/audit/audit-writer.service';
import { CSV_COLUMNS } from '../../src/audit/audit-export';
import { Database, sql } from '../../src/core/db/database.service';
import { csvCell, csvCellSql } from '../../src/core/http/csv-cell';
import { Api, givenCompany } from '../support/api';
import { startApp, TestApp } from '../support/app';
import { asCsvText } from '../support/csv';
import { closeDb, db } from '../support/db';
import { eventually } from '../support/wait';

interface Entry {
  seq: number;
  occurred_at: string;
  recorded_at: string;
  actor: { sub: string; name: string; client_id: string; roles: string[] };
  action: string;
  entity_type: string;
  entity_id: string | null;
  before: unknown;
  after: unknown;
  prev_hash: string;
  hash: string;
}

/** Text that CSV, COPY or a spreadsheet treats specially, each on its own and mixed. */
const AWKWARD = [
  'plain',
  '',
  'comma, inside',
  'a "quoted" word',
  'line\nbreak',
  'crlf\r\nbreak',
  '\rstarts with CR',
  '\tstarts with tab',
  '=SUM(A1:A9)',
  '+44 20 7946 0958',
  '-2+3',
  '@SUM(1+1)',
  '=HYPERLINK("http://evil.example","click")',
  '-1,2\n',
  "'=already",
  'record\x1eseparator',
  'unit\x1fseparator',
  'é ü 漢 🙂',
  'back\\slash',
];

/**
 * The audit export is written by PostgreSQL (one COPY) and streamed through as it comes: these
 * hold it to what the search shows and to the service's own CSV rule, cell for cell, with text
 * that CSV, COPY and spreadsheets treat specially.
 */
describe('audit export written by PostgreSQL', () => {
  let testApp: TestApp;
  let api: Api;

  beforeAll(async () => {
    testApp = await startApp({ DATABASE_STREAM_CONNECTIONS: 2 });
    api = new Api(testApp);
    await givenCompany(api);
  });
  afterAll(async () => {
    await testApp.close();
    await closeDb();
  });

  it('writes each cell in SQL exactly as csvCell writes it', async () => {
    for (const value of [...AWKWARD, null]) {
      const { rows } = await db().query<{ cell: string }>(
        `SELECT ${csvCellSql('$1::text')} AS cell`,
        [value],
      );
      expect({ value, cell: rows[0]?.cell }).toEqual({ value, cell: csvCell(value) });
    }
  });

  it('exports what the search shows, in JSON and cell for cell in CSV', async () => {
    // Entity types are lower-case letters and underscores.
    const letters = randomBytes(8)
      .toString('hex')
      .replace(/\d/g, (d) => 'ghijklmnop'[Number(d)]);
    const entityType = `export_test_${letters}`;
    const writer = testApp.app.get(AuditWriter);
    const database = testApp.app.get(Database);
    const inputs = AWKWARD.map((text, n) => ({
      occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n, 7)),
      actor: { sub: `sub-${n}`, name: text, client_id: 'test', roles: ['admin', 'auditor'] },
      action: 'company.updated',
      entityType,
      entityId: text,
      before: n % 2 ? null : { text, n, nested: { list: [1, 'two', null] } },
      after: { text, price: '0.1', shares: 12345678901234 },
      requestId: null,
      outcome: 'success' as const,
      sourceEventId: null,
    }));
    await testApp.inDefaultCompany(() =>
      database.transaction((tx) => writer.appendAll(tx, inputs)),
    );
    const query = `entity_type=${encodeURIComponent(entityType)}&order=asc`;
    const search = await api.get(`/api/audit/?limit=100&${query}`, 'auditor');
    expect(search.status).toBe(200);
    expect(search.headers['content-type']).toBe('application/json; charset=utf-8');
    const listed = search.body.items as Entry[];
    expect(listed.map((e) => e.entity_id)).toEqual(AWKWARD);

    const json = await api.get(`/api/audit/export?format=json&${query}`, 'auditor');
    expect(json.status).toBe(200);
    expect(json.text.startsWith('[\n{"seq":')).toBe(true);
    expect(json.text.endsWith('}\n]\n')).toBe(true);
    expect(JSON.parse(json.text)).toEqual(listed);

    const csv = await api.get(`/api/audit/export?format=csv&${query}`, 'auditor');
    expect(csv.status).toBe(200);
    expect(csv.text.split('\n', 1)[0]).toBe(CSV_COLUMNS.join(','));
    const records: string[][] = parse(csv.text, { from_line: 2 });
    expect(records).toHaveLength(listed.length);
    records.forEach((record, index) => {
      const entry = listed[index];
      expect(record).toEqual([
        String(entry.seq),
        entry.occurred_at,
        entry.recorded_at,
        asCsvText(entry.actor.sub),
        asCsvText(entry.actor.name),
        asCsvText(entry.actor.client_id),
        asCsvText(entry.actor.roles.join(' ')),
        asCsvText(entry.action),
        asCsvText(entry.entity_type),
        asCsvText(entry.entity_id),
        expect.any(String),
        expect.any(String),
        '',
        '',
        '',
        'success',
        '',
        entry.prev_hash,
        entry.hash,
      ]);
      expect(record[10] === '' ? null : JSON.parse(record[10])).toEqual(entry.before);
      expect(JSON.parse(record[11])).toEqual(entry.after);
    });
  });

  it('streams every value byte for byte through COPY, and no more streams at a time than configured', async () => {
    const database = testApp.app.get(Database);
    const values = sql`SELECT value FROM json_array_elements_text(${JSON.stringify(AWKWARD)}::json)
                        WITH ORDINALITY AS e(value, n) ORDER BY n`;
    const streamed = await testApp.inDefaultCompany(async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of database.copyLines(values)) chunks.push(chunk);
      return Buffer.concat(chunks).toString('utf8');
    });
    expect(streamed).toBe(AWKWARD.map((v) => `${v}\n`).join(''));

    const openStreams = async () => {
      const { rows } = await db().query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE application_name = 'corporate-os-export' AND datname = current_database()`,
      );
      return rows[0]?.n;
    };
    await testApp.inDefaultCompany(async () => {
      const streams = [1, 2, 3].map(() =>
        database.copyLines(sql`SELECT 'x' FROM generate_series(1, 3)`),
      );
      const firsts = streams.map((stream) => stream.next());
      let thirdStarted = false;
      void firsts[2].then(() => (thirdStarted = true));
      await Promise.all(firsts.slice(0, 2));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(thirdStarted).toBe(false);
      expect(await openStreams()).toBe(2);
      await streams[0].return(undefined);
      await firsts[2];
      expect(thirdStarted).toBe(true);
      await Promise.all(streams.map((stream) => stream.return(undefined)));
    });
    await eventually(
      async () => ((await openStreams()) === 0 ? true : undefined),
      5_000,
      'the streams closed',
    );
  });
});
