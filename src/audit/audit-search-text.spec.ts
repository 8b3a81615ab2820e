import { searchTextMatches, searchTextOf } from './audit-search-text';

const actor = { sub: 's', name: 'Admin', client_id: 'corporate-os-cli', roles: ['admin'] };

describe('searchTextOf', () => {
  it('joins actor, action, entity and details as lower-cased JSON', () => {
    expect(
      searchTextOf({
        actor,
        action: 'shareholder.updated',
        entityType: 'shareholder',
        entityId: 'H-1',
        before: { name: 'Old Name' },
        after: { name: 'New Name' },
      }),
    ).toBe('admin shareholder.updated shareholder h-1 {"name":"old name"} {"name":"new name"}');
  });

  it('leaves out what is absent', () => {
    expect(
      searchTextOf({
        actor,
        action: 'company.updated',
        entityType: 'company',
        entityId: null,
        before: null,
        after: { n: 1 },
      }),
    ).toBe('admin company.updated company {"n":1}');
  });
});

describe('searchTextOf, canonical details', () => {
  it('writes the details with sorted keys, whatever order the writer held them in', () => {
    const fields = {
      actor,
      action: 'issuance.created',
      entityType: 'issuance',
      entityId: 'i-1',
      before: null,
    };
    expect(searchTextOf({ ...fields, after: { total_amount: '0.3', number_of_shares: 3 } })).toBe(
      searchTextOf({ ...fields, after: { number_of_shares: 3, total_amount: '0.3' } }),
    );
    expect(searchTextOf({ ...fields, after: { b: 1, a: { d: 2, c: 3 } } })).toBe(
      'admin issuance.created issuance i-1 {"a":{"c":3,"d":2},"b":1}',
    );
  });
});

describe('searchTextMatches', () => {
  const fields = {
    actor: { ...actor, name: 'Internal Tool' },
    action: 'shareholder.updated',
    entityType: 'shareholder',
    entityId: 'H-1',
    before: { name: 'Old Name', email: 'old@example.com' },
    after: { name: 'New Name', email: 'new@example.com', tags: ['A', { z: 1, y: 'Q' }] },
  };
  /** The search text as entries were written before it was derived canonically. */
  const legacy = (f: typeof fields) =>
    [f.actor.name, f.action, f.entityType, f.entityId, JSON.stringify(f.before)]
      .concat(JSON.stringify(f.after))
      .join(' ')
      .toLowerCase();

  it('accepts the derived text', () => {
    expect(searchTextMatches(searchTextOf(fields), fields)).toBe(true);
  });

  it('accepts a text written before, with the details in the writer’s key order', () => {
    const written = legacy(fields);
    expect(written).not.toBe(searchTextOf(fields));
    expect(searchTextMatches(written, fields)).toBe(true);
  });

  it('refuses a text with a value removed, replaced or padded', () => {
    const written = legacy(fields);
    for (const changed of [
      written.replace('new name', 'xxx xxxx'),
      written.replace('internal tool', 'internal_tool'),
      written.replace('shareholder.updated', 'shareholder.created'),
      written.replace('{"name":"new name",', '{"name":"new name" ,'),
      written.replace(' {"name":"old', '{"name":"old') + ' ',
      written.replace('"new name"', '"new\\u0020name"').replace('new@example.com', 'n@e.c'),
      '',
    ]) {
      expect(searchTextMatches(changed, fields)).toBe(false);
    }
  });

  it('refuses a key written twice, which parses to the same details but adds text', () => {
    const f = { ...fields, before: null, after: { ab: 'secret', c: 'visible' } };
    const exact = searchTextOf(f);
    const shadowed = exact.replace('{"ab":', '{"ab":"planted","ab":').slice(0, exact.length);
    expect(searchTextMatches(shadowed, f)).toBe(false);
    expect(searchTextMatches(exact.replace('{"ab":', '{"ab":"planted","ab":'), f)).toBe(false);
  });

  it('accepts only the exact text when lower-casing makes two keys collide', () => {
    const f = { ...fields, before: null, after: { Key: 'hidden', key: 'shown' } };
    const exact = searchTextOf(f);
    expect(searchTextMatches(exact, f)).toBe(true);
    const collapsed = exact.replace('"key":"hidden"', '"key":"shown!"');
    expect(collapsed).toHaveLength(exact.length);
    expect(searchTextMatches(collapsed, f)).toBe(false);
  });

  it('checks entries without details on their prefix alone', () => {
    const f = { ...fields, entityId: null, before: null, after: null };
    expect(searchTextMatches('internal tool shareholder.updated shareholder', f)).toBe(true);
    expect(searchTextMatches('internal tool shareholder.updated shareholdex', f)).toBe(false);
  });
});
