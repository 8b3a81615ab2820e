/** Real Keycloak tokens (password grant through the public CLI client, as a person logs in). */

export const USERS = {
  admin: { username: 'admin', password: 'adminpass' },
  auditor: { username: 'auditor', password: 'auditorpass' },
  shareholder1: { username: 'shareholder1', password: 'shpass' },
} as const;

export type BenchUser = keyof typeof USERS;

export class Tokens {
  constructor(
    private readonly keycloakUrl: string,
    private readonly realm: string,
  ) {}

  async passwordGrant(user: BenchUser): Promise<string> {
    const response = await fetch(
      `${this.keycloakUrl}/realms/${this.realm}/protocol/openid-connect/token`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'password',
          client_id: 'corporate-os-cli',
          ...USERS[user],
        }),
      },
    );
    const body = (await response.json()) as { access_token?: string; error?: string };
    if (!response.ok || !body.access_token) {
      throw new Error(`Keycloak refused a token for ${user}: ${response.status} ${body.error}`);
    }
    return body.access_token;
  }

  /** Fresh tokens for every user (they live 300 s: call this before each phase). */
  async all(): Promise<Record<BenchUser, string>> {
    const [admin, auditor, shareholder1] = await Promise.all([
      this.passwordGrant('admin'),
      this.passwordGrant('auditor'),
      this.passwordGrant('shareholder1'),
    ]);
    return { admin, auditor, shareholder1 };
  }
}

export function claimsOf(token: string): Record<string, unknown> {
  const part = token.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
}
