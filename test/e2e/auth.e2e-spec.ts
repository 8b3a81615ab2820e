import request from 'supertest';
import {
  decodeJwtPart,
  passwordGrant,
  serviceAccountToken,
  tokenFor,
  USERS,
} from '../support/keycloak';
import { SigningKeysService } from '../../src/core/auth/signing-keys.service';
import { startApp, TestApp } from '../support/app';
import {
  hs256Token,
  otherRsaKey,
  realmSigningKey,
  rs256Token,
  unsignedToken,
} from '../support/forge';
import { createTemporaryClient, createTemporaryUser } from '../support/keycloak-admin';
import { OTHER_REALM } from '../support/env';

const PROBLEM = /application\/problem\+json/;

describe('authentication with Keycloak tokens', () => {
  let testApp: TestApp;
  let server: Parameters<typeof request>[0];

  beforeAll(async () => {
    testApp = await startApp();
    server = testApp.app.getHttpServer();
  });
  afterAll(() => testApp.close());

  const me = (token?: string) => {
    const call = request(server).get('/api/me');
    return token ? call.set('authorization', `Bearer ${token}`) : call;
  };

  const expectUnauthorized = async (token: string | undefined, detail?: RegExp) => {
    const response = await me(token);
    expect(response.status).toBe(401);
    expect(response.headers['content-type']).toMatch(PROBLEM);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer /);
    expect(response.body).toMatchObject({
      status: 401,
      code: 'AUTHENTICATION_REQUIRED',
      instance: '/api/me',
    });
    if (detail) expect(response.body.detail).toMatch(detail);
  };

  describe('accepts real access tokens', () => {
    it.each([
      ['admin', ['admin']],
      ['auditor', ['auditor']],
      ['shareholder1', ['shareholder']],
      ['shareholder2', ['shareholder']],
    ] as const)('identifies %s with roles %j', async (user, roles) => {
      const response = await me(await tokenFor(user)).expect(200);
      expect(response.body).toMatchObject({
        username: USERS[user].username,
        roles,
        client_id: 'corporate-os-cli',
        service_account: false,
      });
      expect(response.body.sub).toEqual(expect.any(String));
    });

    it('treats the internal-tool client credentials token as an admin service account', async () => {
      const response = await me(await serviceAccountToken()).expect(200);
      expect(response.body).toMatchObject({
        roles: ['admin'],
        client_id: 'internal-tool',
        service_account: true,
      });
    });
  });

  describe('rejects with 401', () => {
    let admin: string;
    beforeAll(async () => {
      admin = await tokenFor('admin');
    });

    it('a request without a token', () =>
      expectUnauthorized(undefined, /bearer access token is required/));

    it('a token with alg none', async () => {
      await expectUnauthorized(unsignedToken(decodeJwtPart(admin, 1)), /only RS256/);
    });

    it('an HS256 token signed with the realm public key as secret', async () => {
      const { kid, pem } = await realmSigningKey();
      await expectUnauthorized(hs256Token(decodeJwtPart(admin, 1), pem, kid), /only RS256/);
    });

    it('a token signed by another RSA key under the realm key id', async () => {
      const { kid } = await realmSigningKey();
      await expectUnauthorized(
        rs256Token(decodeJwtPart(admin, 1), otherRsaKey(), kid),
        /invalid signature/,
      );
    });

    it('a token signed by another RSA key under an unknown key id', async () => {
      await expectUnauthorized(
        rs256Token(decodeJwtPart(admin, 1), otherRsaKey(), 'forged-kid'),
        /not trusted/,
      );
    });

    it('a token from another realm, although its audience is ours', async () => {
      const other = await passwordGrant('admin', OTHER_REALM);
      expect(decodeJwtPart(other.access_token, 1).aud).toEqual('corporate-os-api');
      await expectUnauthorized(other.access_token);
    });

    it('a real token of this realm without our audience', async () => {
      const client = await createTemporaryClient({ audience: false });
      try {
        const token = await client.token(USERS.admin.username, USERS.admin.password);
        await expectUnauthorized(token, /audience/);
      } finally {
        await client.remove();
      }
    });

    it('an ID token used as a bearer token', async () => {
      const { id_token } = await passwordGrant('admin', undefined, 'openid');
      expect(id_token).toEqual(expect.any(String));
      await expectUnauthorized(id_token);
    });

    it('a refresh token used as a bearer token', async () => {
      const { refresh_token } = await passwordGrant('admin');
      expect(refresh_token).toEqual(expect.any(String));
      await expectUnauthorized(refresh_token);
    });

    it('a valid token passed in the query string', async () => {
      const response = await request(server).get(`/api/me?access_token=${admin}`);
      expect(response.status).toBe(401);
    });

    it('a garbage bearer value', () => expectUnauthorized('not-a-jwt'));

    describe('a token that was accepted moments ago (and is remembered), altered', () => {
      let token: string;
      beforeAll(async () => {
        token = await tokenFor('shareholder1');
        await me(token).expect(200);
        await me(token).expect(200);
      });
      const parts = () => token.split('.') as [string, string, string];

      it('in its signature', () => {
        const [header, payload, signature] = parts();
        const flipped = signature.startsWith('A')
          ? `B${signature.slice(1)}`
          : `A${signature.slice(1)}`;
        return expectUnauthorized(`${header}.${payload}.${flipped}`, /invalid signature/);
      });

      it('in its claims (roles raised to admin), signature kept', () => {
        const [header, , signature] = parts();
        const claims = decodeJwtPart(token, 1) as { realm_access: { roles: string[] } };
        claims.realm_access.roles = ['admin'];
        const forged = Buffer.from(JSON.stringify(claims)).toString('base64url');
        return expectUnauthorized(`${header}.${forged}.${signature}`, /invalid signature/);
      });

      it('with its signature dropped', () => {
        const [header, payload] = parts();
        return expectUnauthorized(`${header}.${payload}.`);
      });

      it('while the token itself is still accepted, without another key lookup', async () => {
        const lookups = jest.spyOn(testApp.app.get(SigningKeysService), 'getPublicKey');
        try {
          await me(token).expect(200);
          expect(lookups).not.toHaveBeenCalled();
          await expectUnauthorized(`${parts()[0]}.${parts()[1]}.x${parts()[2]}`);
          expect(lookups).toHaveBeenCalledTimes(1);
        } finally {
          lookups.mockRestore();
        }
      });
    });
  });

  describe('POST /api/token/', () => {
    it('logs in with JSON and the token works on /api/me', async () => {
      const login = await request(server).post('/api/token/').send(USERS.auditor).expect(200);
      expect(login.body).toEqual({
        access_token: expect.any(String),
        token_type: 'bearer',
        expires_in: expect.any(Number),
      });
      const response = await me(login.body.access_token);
      expect(response.body).toMatchObject({ username: 'auditor' });
    });

    it('logs in with a form body', async () => {
      const login = await request(server)
        .post('/api/token')
        .type('form')
        .send({ username: 'shareholder1', password: 'shpass' })
        .expect(200);
      expect(decodeJwtPart(login.body.access_token, 1).preferred_username).toBe('shareholder1');
    });

    it('gives the same 401 for a wrong password and an unknown user', async () => {
      // A throwaway user: wrong passwords count towards Keycloak's brute-force lockout.
      const user = await createTemporaryUser('shareholder');
      const wrong = await request(server)
        .post('/api/token/')
        .send({ username: user.username, password: 'nope' });
      await user.remove();
      const unknown = await request(server)
        .post('/api/token/')
        .send({ username: 'nobody-here', password: 'nope' });
      for (const response of [wrong, unknown]) {
        expect(response.status).toBe(401);
        expect(response.headers['content-type']).toMatch(PROBLEM);
        expect(response.body.code).toBe('INVALID_CREDENTIALS');
      }
      expect(wrong.body.detail).toBe(unknown.body.detail);
    });

    it('names missing and unknown fields', async () => {
      const response = await request(server)
        .post('/api/token/')
        .send({ username: 'admin', extra: 1 });
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
      const fields = (response.body.errors as Array<{ field: string }>).map((e) => e.field).sort();
      expect(fields).toEqual(['extra', 'password']);
    });
  });
});
