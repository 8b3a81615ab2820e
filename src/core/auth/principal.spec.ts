import { principalFromClaims } from './principal';
import { Role } from './role.enum';

describe('principalFromClaims', () => {
  it('maps a person token to a principal named by username with known roles only', () => {
    const principal = principalFromClaims({
      sub: 'f1',
      azp: 'corporate-os-cli',
      preferred_username: 'shareholder1',
      email: 'shareholder1@example.com',
      email_verified: true,
      realm_access: { roles: ['shareholder', 'offline_access', 'default-roles-corporate-os'] },
    });
    expect(principal).toEqual({
      sub: 'f1',
      username: 'shareholder1',
      email: 'shareholder1@example.com',
      emailVerified: true,
      // Every realm role is kept (the platform-administrator role may be any of them).
      realmRoles: ['shareholder', 'offline_access', 'default-roles-corporate-os'],
      roles: [Role.Shareholder],
      clientId: 'corporate-os-cli',
      serviceAccount: false,
      actorName: 'shareholder1',
    });
  });

  it('names a service account by its client id', () => {
    const principal = principalFromClaims({
      sub: 's1',
      azp: 'internal-tool',
      preferred_username: 'service-account-internal-tool',
      realm_access: { roles: ['admin'] },
    });
    expect(principal.serviceAccount).toBe(true);
    expect(principal.actorName).toBe('internal-tool');
    expect(principal.roles).toEqual([Role.Admin]);
  });

  it('treats missing or malformed role claims as no roles', () => {
    expect(principalFromClaims({ sub: 'x', realm_access: { roles: 'admin' } }).roles).toEqual([]);
    expect(principalFromClaims({ sub: 'x' }).roles).toEqual([]);
  });

  it('refuses claims without a subject', () => {
    expect(() => principalFromClaims({ preferred_username: 'nobody' })).toThrow(/subject/);
  });
});
