import type { EntityManager } from 'typeorm';
import { GENESIS_HASH } from './audit-chain';
import { walkChain } from './audit-chain-walk';
import type { AuditEntry } from './audit-entry.entity';
import { AuditInput, AuditWriter } from './audit-writer.service';
import type { AuditRepository } from './audit.repository';

const input = (n: number): AuditInput => ({
  occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)),
  actor: { sub: 's', name: 'Admin', client_id: 'cli', roles: ['admin'] },
  action: 'shareholder.updated',
  entityType: 'shareholder',
  entityId: `h-${n}`,
  before: { name: `Old ${n}`, email: `old${n}@example.com` },
  after: { name: `New ${n}`, email: `new${n}@example.com` },
  requestId: null,
  outcome: 'success',
  sourceEventId: null,
});

async function chainOf(length: number): Promise<AuditEntry[]> {
  const repository = {
    lockChain: () => Promise.resolve(),
    chainState: () => Promise.resolve({ headSeq: null, headHash: null, recorded: [] }),
    insert: () => Promise.resolve(),
  };
  const writer = new AuditWriter(repository as unknown as AuditRepository);
  const inputs = Array.from({ length }, (_, i) => input(i + 1));
  return writer.appendAll({} as EntityManager, inputs);
}

/** Reads like the repository: from a sequence number on, in order, at most `limit`. */
const readerOf = (entries: AuditEntry[]) => (from: bigint, limit: number) =>
  Promise.resolve(entries.filter((e) => BigInt(e.seq) >= from).slice(0, limit));

describe('walkChain', () => {
  it('walks an intact chain in batches and ends at its head', async () => {
    const entries = await chainOf(7);
    const walk = await walkChain(readerOf(entries), undefined, [3n, 9n], 2);
    expect(walk).toMatchObject({ checked: 7, broken: null });
    expect(walk.last).toEqual({ seq: 7n, hash: entries[6]?.hash });
    expect([...walk.hashes]).toEqual([[3n, entries[2]?.hash]]);
  });

  it('starts after a given position', async () => {
    const entries = await chainOf(5);
    const start = { seq: 3n, hash: entries[2]?.hash ?? '' };
    const walk = await walkChain(readerOf(entries), start);
    expect(walk).toMatchObject({ checked: 2, broken: null, last: { seq: 5n } });
    const wrongStart = await walkChain(readerOf(entries), { seq: 3n, hash: GENESIS_HASH });
    expect(wrongStart.broken).toMatchObject({ seq: 4n, code: 'PREV_HASH_MISMATCH' });
  });

  it('names an entry whose search text was changed, though its hash still matches', async () => {
    const entries = await chainOf(4);
    const target = entries[2];
    target.searchText = target.searchText.replace('new 3', 'xxx x');
    const walk = await walkChain(readerOf(entries));
    expect(walk.broken).toMatchObject({ seq: 3n, code: 'SEARCH_TEXT_MISMATCH' });
    expect(walk).toMatchObject({ checked: 2, last: { seq: 2n } });
  });

  it('accepts search texts written with the details in another key order', async () => {
    const entries = await chainOf(2);
    for (const entry of entries) {
      entry.searchText = entry.searchText.replace(
        /\{"email":("[^"]*"),"name":("[^"]*")\}/g,
        '{"name":$2,"email":$1}',
      );
    }
    expect(entries[0]?.searchText).toContain('{"name":"new 1","email":"new1@example.com"}');
    expect((await walkChain(readerOf(entries))).broken).toBeNull();
  });

  it('names a missing entry, a changed content and a broken link', async () => {
    const entries = await chainOf(4);
    const gap = entries.filter((e) => e.seq !== '2');
    expect((await walkChain(readerOf(gap))).broken).toMatchObject({
      seq: 2n,
      code: 'SEQUENCE_MISSING',
    });
    const changed = entries.map((e) => (e.seq === '2' ? { ...e, actorName: 'Mallory' } : e));
    expect((await walkChain(readerOf(changed))).broken).toMatchObject({
      seq: 2n,
      code: 'CONTENT_MISMATCH',
    });
    const relinked = entries.map((e) => (e.seq === '3' ? { ...e, prevHash: GENESIS_HASH } : e));
    expect((await walkChain(readerOf(relinked))).broken).toMatchObject({
      seq: 3n,
      code: 'PREV_HASH_MISMATCH',
    });
  });

  it('reports content the chain cannot hold as changed content, not as an error', async () => {
    const entries = await chainOf(1);
    const entry = { ...entries[0], after: { price: 0.1 } } as AuditEntry;
    expect((await walkChain(readerOf([entry]))).broken).toMatchObject({ code: 'CONTENT_MISMATCH' });
  });
});
