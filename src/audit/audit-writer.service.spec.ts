import type { EntityManager } from 'typeorm';
import { entryHash, GENESIS_HASH } from './audit-chain';
import type { AuditEntry } from './audit-entry.entity';
import { searchTextOf } from './audit-search-text';
import { AuditInput, AuditWriter, chainedFieldsOf } from './audit-writer.service';
import type { AuditRepository, ChainState } from './audit.repository';

const input = (n: number, sourceEventId: string | null): AuditInput => ({
  occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)),
  actor: { sub: 's', name: 'admin', client_id: 'cli', roles: ['admin'], ip: '127.0.0.1' },
  action: 'company.updated',
  entityType: 'company',
  entityId: null,
  before: null,
  after: { n },
  requestId: null,
  outcome: 'success',
  sourceEventId,
});

function writerOn(state: ChainState) {
  const steps: string[] = [];
  const inserted: AuditEntry[][] = [];
  const repository = {
    lockChain: jest.fn(() => (steps.push('lock'), Promise.resolve())),
    chainState: jest.fn(() => (steps.push('state'), Promise.resolve(state))),
    insert: jest.fn((_tx: EntityManager, entries: AuditEntry[]) => {
      steps.push('insert');
      inserted.push(entries);
      return Promise.resolve();
    }),
  };
  const writer = new AuditWriter(repository as unknown as AuditRepository);
  return { writer, repository, steps, inserted };
}

const tx = {} as EntityManager;

describe('AuditWriter.appendAll', () => {
  it('does nothing for no entries', async () => {
    const { writer, steps } = writerOn({ headSeq: null, headHash: null, recorded: [] });
    expect(await writer.appendAll(tx, [])).toEqual([]);
    expect(steps).toEqual([]);
  });

  it('starts an empty chain at 1 after the genesis hash', async () => {
    const { writer, inserted } = writerOn({ headSeq: null, headHash: null, recorded: [] });
    const [entry] = await writer.appendAll(tx, [input(1, null)]);
    expect(entry).toMatchObject({ seq: '1', prevHash: GENESIS_HASH, ip: '127.0.0.1' });
    expect(entry?.hash).toBe(entryHash(chainedFieldsOf(entry)));
    expect(inserted).toEqual([[entry]]);
  });

  it('locks, reads the head, then appends after it in order, skipping recorded events', async () => {
    const head = 'a'.repeat(64);
    const { writer, repository, steps } = writerOn({
      headSeq: '9',
      headHash: head,
      recorded: ['e-1'],
    });
    const inputs = [input(1, 'e-1'), input(2, 'e-2'), input(3, 'e-2'), input(4, null)];
    const entries = await writer.appendAll(tx, inputs);
    expect(steps).toEqual(['lock', 'state', 'insert']);
    expect(repository.chainState).toHaveBeenCalledWith(tx, ['e-1', 'e-2', 'e-2']);
    expect(entries.map((e) => [e.seq, e.after])).toEqual([
      ['10', { n: 2 }],
      ['11', { n: 4 }],
    ]);
    expect(entries[0]?.prevHash).toBe(head);
    expect(entries[1]?.prevHash).toBe(entries[0]?.hash);
    expect(entries[1]?.searchText).toBe(searchTextOf(inputs[3]));
  });

  it('writes nothing when every event is recorded already', async () => {
    const { writer, steps } = writerOn({
      headSeq: '3',
      headHash: 'b'.repeat(64),
      recorded: ['e-1'],
    });
    expect(await writer.appendAll(tx, [input(1, 'e-1')])).toEqual([]);
    expect(steps).toEqual(['lock', 'state']);
  });
});
