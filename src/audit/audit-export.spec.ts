import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { CSV_COLUMNS, csvRecord, exportChunks } from './audit-export';
import type { AuditEntryDto } from './dto/audit-query.dto';

const entry = (seq: number, fields: Partial<AuditEntryDto> = {}): AuditEntryDto => ({
  seq,
  occurred_at: '2026-01-02T03:04:05.006Z',
  recorded_at: '2026-01-02T03:04:05.106Z',
  actor: {
    sub: 'sub-1',
    name: 'admin',
    client_id: 'corporate-os-cli',
    roles: ['admin', 'auditor'],
  },
  action: 'shareholder.updated',
  entity_type: 'shareholder',
  entity_id: `h-${seq}`,
  before: { name: 'Old, "quoted"\nname' },
  after: { name: 'New name', note: 'line\r\nbreak' },
  request_id: null,
  ip: '127.0.0.1',
  user_agent: 'Mozilla/5.0 (X11; Linux x86_64), "quoted"',
  outcome: 'success',
  source_event_id: null,
  prev_hash: '0'.repeat(64),
  hash: 'f'.repeat(64),
  ...fields,
});

async function* batchesOf(...batches: AuditEntryDto[][]): AsyncGenerator<AuditEntryDto[]> {
  for (const batch of batches) {
    await Promise.resolve(); // as a database read would, resume on a later tick
    yield batch;
  }
}

async function body(
  format: 'csv' | 'json',
  ...batches: AuditEntryDto[][]
): Promise<{ chunks: string[]; text: string }> {
  const chunks: string[] = [];
  for await (const chunk of exportChunks(format, batchesOf(...batches))) chunks.push(chunk);
  return { chunks, text: chunks.join('') };
}

describe('exportChunks', () => {
  it('writes a CSV header and one line per entry, one chunk per batch', async () => {
    const { chunks, text } = await body('csv', [entry(1), entry(2)], [entry(3)]);
    expect(chunks).toHaveLength(3);
    expect(chunks[0]).toBe(`${CSV_COLUMNS.join(',')}\n`);
    const entries = [entry(1), entry(2), entry(3)];
    expect(text).toBe(stringify(entries.map(csvRecord), { header: true, columns: CSV_COLUMNS }));
    const records = parse<Record<string, string>>(text, { columns: true });
    expect(records.map((r) => r.seq)).toEqual(['1', '2', '3']);
    expect(records.map((r) => JSON.parse(r.before ?? 'null') as unknown)).toEqual(
      entries.map((e) => e.before),
    );
    expect(records[0]).toMatchObject({
      actor_roles: 'admin auditor',
      request_id: '',
      user_agent: 'Mozilla/5.0 (X11; Linux x86_64), "quoted"',
    });
  });

  it('neutralises a formula typed as a username or user agent, in CSV only', async () => {
    const payload = '=HYPERLINK("http://evil.example","click")';
    const failed = entry(1, {
      actor: { sub: '', name: payload, client_id: 'corporate-os-cli', roles: [] },
      action: 'auth.login_failed',
      entity_type: 'user',
      entity_id: payload,
      before: null,
      after: { username: payload, outcome: 'failure' },
      user_agent: '@SUM(1+1)',
    });
    const csv = parse<Record<string, string>>((await body('csv', [failed])).text, {
      columns: true,
    });
    expect(csv[0]).toMatchObject({
      actor_name: `'${payload}`,
      entity_id: `'${payload}`,
      user_agent: "'@SUM(1+1)",
      after: JSON.stringify(failed.after),
    });
    expect(JSON.parse((await body('json', [failed])).text)).toEqual([failed]);
  });

  it('writes only the header when nothing matches', async () => {
    expect((await body('csv')).text).toBe(`${CSV_COLUMNS.join(',')}\n`);
  });

  it('writes a JSON array with one entry per line', async () => {
    const entries = [entry(1), entry(2, { before: null }), entry(3)];
    const { chunks, text } = await body('json', entries.slice(0, 2), entries.slice(2));
    expect(chunks).toHaveLength(4);
    expect(text).toBe(`[\n${entries.map((e) => JSON.stringify(e)).join(',\n')}\n]\n`);
    expect(JSON.parse(text)).toEqual(entries);
  });

  it('writes an empty JSON array when nothing matches', async () => {
    const { text } = await body('json');
    expect(text).toBe('[\n]\n');
    expect(JSON.parse(text)).toEqual([]);
  });
});
