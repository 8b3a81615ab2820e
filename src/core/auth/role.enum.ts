export enum Role {
  Admin = 'admin',
  Auditor = 'auditor',
  Shareholder = 'shareholder',
}

export const ALL_ROLES: readonly Role[] = Object.values(Role);

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ALL_ROLES as readonly string[]).includes(value);
}
