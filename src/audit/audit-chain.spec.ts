import { canonicalJson, ChainedFields, entryHash, GENESIS_HASH } from './audit-chain';

const entry: ChainedFields = {
  seq: 1,
  occurred_at: '2026-01-01T00:00:00.000Z',
  recorded_at: '2026-01-01T00:00:00.010Z',
  actor_sub: 's',
  actor_name: 'admin',
  actor_client_id: 'corporate-os-cli',
  actor_roles: ['admin'],
  action: 'issuance.created',
  entity_type: 'issuance',
  entity_id: 'i1',
  before: null,
  after: { total_amount: '0.3', number_of_shares: 3 },
  request_id: 'r',
  ip: '127.0.0.1',
  user_agent: null,
  outcome: 'success',
  source_event_id: 'e1',
  prev_hash: GENESIS_HASH,
};

describe('canonicalJson', () => {
  it('sorts keys at every depth so jsonb key reordering does not change the hash', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: null, e: 'x' }], c: true } })).toBe(
      '{"a":{"c":true,"d":[1,{"e":"x","f":null}]},"b":1}',
    );
  });

  it('refuses numbers that could lose precision', () => {
    expect(() => canonicalJson({ price: 0.1 })).toThrow(/safe integers/);
  });
});

describe('entryHash', () => {
  it('is stable for the same content in another key order', () => {
    const reordered = { ...entry, after: { number_of_shares: 3, total_amount: '0.3' } };
    expect(entryHash(reordered)).toBe(entryHash(entry));
  });

  it('changes when any covered field changes', () => {
    const base = entryHash(entry);
    expect(entryHash({ ...entry, after: { total_amount: '0.4', number_of_shares: 3 } })).not.toBe(
      base,
    );
    expect(entryHash({ ...entry, prev_hash: 'f'.repeat(64) })).not.toBe(base);
    expect(entryHash({ ...entry, actor_name: 'mallory' })).not.toBe(base);
  });
});
