import { ForbiddenError } from '../core/auth/auth.errors';
import type { Principal } from '../core/auth/principal';
import { Role } from '../core/auth/role.enum';
import type { ActionContext } from '../core/http/action-context';
import { HolderAccess } from './holder-access';
import type { OwnShareholderResolver } from './own-shareholder.resolver';
import type { Shareholder } from './shareholder.entity';

// The resolver is faked below; its real module would load the data access layer.
jest.mock('./own-shareholder.resolver', () => ({ OwnShareholderResolver: class {} }));

const MINE = '11111111-1111-4111-8111-111111111111';
const THEIRS = '22222222-2222-4222-8222-222222222222';

function contextOf(roles: string[], sub = 'user-1'): ActionContext {
  const principal: Principal = {
    sub,
    username: sub,
    emailVerified: true,
    realmRoles: roles,
    roles: roles as Role[],
    clientId: 'corporate-os-cli',
    serviceAccount: false,
    actorName: sub,
  };
  return { principal, meta: { requestId: 'req-1', ip: '127.0.0.1' } };
}

/** An access helper whose caller is linked to `ownId` (or to nothing). */
function accessLinkedTo(ownId: string | null) {
  const resolve = jest.fn((): Promise<Shareholder | null> =>
    Promise.resolve(ownId === null ? null : ({ id: ownId } as Shareholder)),
  );
  const access = new HolderAccess({ resolve } as unknown as OwnShareholderResolver);
  return { access, resolve };
}

describe.each([Role.Admin, Role.Auditor])('HolderAccess for the %s role', (role) => {
  it('reads every holder without looking up the caller', async () => {
    const { access, resolve } = accessLinkedTo(null);
    const context = contextOf([role]);
    await expect(access.scope(context)).resolves.toEqual({ all: true });
    await expect(access.maySee(context, THEIRS)).resolves.toBe(true);
    await expect(access.assertMaySee(context, THEIRS, 'no')).resolves.toBeUndefined();
    expect(resolve).not.toHaveBeenCalled();
  });
});

describe('HolderAccess for anyone else', () => {
  it('scopes a holder to their own record', async () => {
    const { access } = accessLinkedTo(MINE);
    await expect(access.scope(contextOf([Role.Shareholder]))).resolves.toEqual({
      all: false,
      shareholderId: MINE,
    });
  });

  it('sees their own holder and not someone else', async () => {
    const { access } = accessLinkedTo(MINE);
    const context = contextOf([Role.Shareholder]);
    await expect(access.maySee(context, MINE)).resolves.toBe(true);
    await expect(access.maySee(context, THEIRS)).resolves.toBe(false);
  });

  it('sees nothing without a linked holder', async () => {
    const { access } = accessLinkedTo(null);
    const context = contextOf([Role.Shareholder]);
    await expect(access.scope(context)).resolves.toEqual({ all: false, shareholderId: null });
    await expect(access.maySee(context, THEIRS)).resolves.toBe(false);
  });

  it.each([[[]], [['superuser']], [['Admin']], [['offline_access']]])(
    'denies by default: roles %j read only their own holder',
    async (roles: string[]) => {
      const { access, resolve } = accessLinkedTo(MINE);
      const context = contextOf(roles);
      await expect(access.scope(context)).resolves.toEqual({ all: false, shareholderId: MINE });
      await expect(access.maySee(context, THEIRS)).resolves.toBe(false);
      expect(resolve).toHaveBeenCalled();
    },
  );
});

describe('HolderAccess with the holder linked user known', () => {
  it('answers a match with the caller without a lookup', async () => {
    const { access, resolve } = accessLinkedTo(null);
    const context = contextOf([Role.Shareholder], 'user-1');
    await expect(access.maySee(context, MINE, 'user-1')).resolves.toBe(true);
    expect(resolve).not.toHaveBeenCalled();
  });

  it('resolves the caller when the link is someone else or none', async () => {
    const { access, resolve } = accessLinkedTo(MINE);
    const context = contextOf([Role.Shareholder], 'user-1');
    await expect(access.maySee(context, THEIRS, 'user-2')).resolves.toBe(false);
    await expect(access.maySee(context, THEIRS, null)).resolves.toBe(false);
    // A stale link answers from the caller's record as it is now.
    await expect(access.maySee(context, MINE, 'user-2')).resolves.toBe(true);
    expect(resolve).toHaveBeenCalledTimes(3);
  });

  it('never matches an empty link', async () => {
    const { access } = accessLinkedTo(null);
    await expect(access.maySee(contextOf([], ''), THEIRS, '')).resolves.toBe(false);
  });
});

describe('HolderAccess assertMaySee', () => {
  it('throws the row-level ForbiddenError with the message', async () => {
    const { access } = accessLinkedTo(MINE);
    const denial = access.assertMaySee(
      contextOf([Role.Shareholder]),
      THEIRS,
      'This certificate belongs to another shareholder.',
    );
    await expect(denial).rejects.toBeInstanceOf(ForbiddenError);
    await expect(denial).rejects.toMatchObject({
      message: 'This certificate belongs to another shareholder.',
      requiredRoles: [],
    });
  });

  it('lets the holder through to their own rows', async () => {
    const { access } = accessLinkedTo(MINE);
    await expect(
      access.assertMaySee(contextOf([Role.Shareholder]), MINE, 'no'),
    ).resolves.toBeUndefined();
  });
});
