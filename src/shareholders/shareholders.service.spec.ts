import { ForbiddenError } from '../core/auth/auth.errors';
import type { Principal } from '../core/auth/principal';
import { Role } from '../core/auth/role.enum';
import type { ActionContext } from '../core/http/action-context';
import { ShareholderQueryDto } from './dto/shareholder.dto';
import { HolderAccess } from './holder-access';
import type { OwnShareholderResolver } from './own-shareholder.resolver';
import { Shareholder, ShareholderType } from './shareholder.entity';
import type { ShareholderChangeRecorder } from './shareholder-change-recorder';
import type { ShareholderHoldingsReader } from './shareholder-holdings.port';
import type { ShareholderVault } from './shareholder-vault.service';
import type { ShareholdersRepository } from './shareholders.repository';
import { ShareholdersService } from './shareholders.service';

// Faked below; their real modules would load the data access layer.
jest.mock('./shareholders.repository', () => ({ ShareholdersRepository: class {} }));
jest.mock('./shareholder-change-recorder', () => ({ ShareholderChangeRecorder: class {} }));
jest.mock('./own-shareholder.resolver', () => ({ OwnShareholderResolver: class {} }));

const ADA = '11111111-1111-4111-8111-111111111111';
const BOB = '22222222-2222-4222-8222-222222222222';

function holder(id: string, name: string): Shareholder {
  return {
    id,
    name,
    email: `${name.toLowerCase()}@example.com`,
    type: ShareholderType.Individual,
    phoneEnc: null,
    addressEnc: null,
    taxIdEnc: null,
    userId: null,
    version: 1,
    createdAt: new Date('2026-01-01T00:00:00Z'),
    updatedAt: new Date('2026-01-01T00:00:00Z'),
  };
}

function contextOf(role: Role): ActionContext {
  const principal: Principal = {
    sub: 'user-1',
    username: 'user-1',
    emailVerified: true,
    realmRoles: [role],
    roles: [role],
    clientId: 'corporate-os-cli',
    serviceAccount: false,
    actorName: 'user-1',
  };
  return { principal, meta: { requestId: 'req-1', ip: '127.0.0.1' } };
}

function setUp(rows: Shareholder[], totals: Record<string, number>, own: Shareholder | null) {
  const steps: string[] = [];
  const repository = {
    transaction: jest.fn(async (work: (tx: unknown) => Promise<unknown>) => {
      const result = await work({});
      steps.push('commit');
      return result;
    }),
    page: jest.fn(() => Promise.resolve({ rows, total: rows.length })),
    findById: jest.fn((id: string) => Promise.resolve(rows.find((r) => r.id === id) ?? null)),
    lockById: jest.fn((_tx: unknown, id: string) =>
      Promise.resolve(rows.find((r) => r.id === id) ?? null),
    ),
    updateProfile: jest.fn(() => Promise.resolve()),
    reload: jest.fn((_tx: unknown, id: string) =>
      Promise.resolve({ ...rows.find((r) => r.id === id)!, name: 'Ada King', version: 2 }),
    ),
  };
  const totalsFor = jest.fn((ids: string[]) => {
    steps.push('totals');
    return Promise.resolve(new Map(ids.filter((id) => id in totals).map((id) => [id, totals[id]])));
  });
  const holdings: ShareholderHoldingsReader = { totalsFor };
  const vault = { reveal: () => ({ phone: null, address: null, tax_id: null }), seal: () => ({}) };
  const recorder = { record: jest.fn(() => Promise.resolve()) };
  const resolver = { resolve: jest.fn(() => Promise.resolve(own)) };
  const service = new ShareholdersService(
    repository as unknown as ShareholdersRepository,
    vault as unknown as ShareholderVault,
    recorder as unknown as ShareholderChangeRecorder,
    holdings,
    resolver as unknown as OwnShareholderResolver,
    new HolderAccess(resolver as unknown as OwnShareholderResolver),
  );
  return { service, repository, totalsFor, recorder, resolver, steps };
}

describe('ShareholdersService totals', () => {
  it('lists holders with the totals the holdings reader gives, 0 for none', async () => {
    const { service, totalsFor } = setUp(
      [holder(ADA, 'Ada'), holder(BOB, 'Bob')],
      { [ADA]: 1500 },
      null,
    );
    const page = await service.list(new ShareholderQueryDto(), contextOf(Role.Admin).principal);
    expect(page.items.map((i) => [i.name, i.total_shares])).toEqual([
      ['Ada', 1500],
      ['Bob', 0],
    ]);
    expect(totalsFor).toHaveBeenCalledTimes(1);
    expect(totalsFor).toHaveBeenCalledWith([ADA, BOB]);
  });

  it('asks the holdings reader nothing for an empty page', async () => {
    const { service, totalsFor } = setUp([], {}, null);
    const page = await service.list(new ShareholderQueryDto(), contextOf(Role.Admin).principal);
    expect(page).toEqual({ items: [], total: 0 });
    expect(totalsFor).not.toHaveBeenCalled();
  });

  it('reads the total of a changed holder after the change has committed', async () => {
    const { service, repository, recorder, steps } = setUp(
      [holder(ADA, 'Ada')],
      { [ADA]: 7 },
      null,
    );
    const response = await service.update(ADA, { name: 'Ada King' }, contextOf(Role.Admin));
    expect(steps).toEqual(['commit', 'totals']);
    expect(repository.updateProfile).toHaveBeenCalledWith(
      expect.anything(),
      ADA,
      expect.objectContaining({ name: 'Ada King', version: 2 }),
    );
    expect(recorder.record).toHaveBeenCalledTimes(1);
    expect(response).toMatchObject({ name: 'Ada King', version: 2, total_shares: 7 });
  });

  it('writes nothing when nothing changed, and still answers the total', async () => {
    const { service, repository, recorder } = setUp([holder(ADA, 'Ada')], { [ADA]: 7 }, null);
    const response = await service.update(ADA, { name: 'Ada' }, contextOf(Role.Admin));
    expect(repository.updateProfile).not.toHaveBeenCalled();
    expect(recorder.record).not.toHaveBeenCalled();
    expect(response).toMatchObject({ name: 'Ada', version: 1, total_shares: 7 });
  });
});

describe('ShareholdersService row-level access', () => {
  it("refuses another holder's record before reading it", async () => {
    const ada = holder(ADA, 'Ada');
    const { service, repository } = setUp([ada, holder(BOB, 'Bob')], {}, ada);
    await expect(service.findOne(BOB, contextOf(Role.Shareholder))).rejects.toThrow(
      new ForbiddenError('You can only read your own shareholder record.'),
    );
    expect(repository.findById).not.toHaveBeenCalled();
    await expect(service.findOne(ADA, contextOf(Role.Shareholder))).resolves.toMatchObject({
      id: ADA,
    });
  });

  it('lets an auditor read any record without resolving their own', async () => {
    const { service, resolver } = setUp([holder(BOB, 'Bob')], { [BOB]: 3 }, null);
    await expect(service.findOne(BOB, contextOf(Role.Auditor))).resolves.toMatchObject({
      id: BOB,
      total_shares: 3,
    });
    expect(resolver.resolve).not.toHaveBeenCalled();
  });
});
