import { searchTextOf } from './audit-search-text';

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
