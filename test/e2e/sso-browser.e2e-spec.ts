import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import puppeteer, { Browser, HTTPRequest, HTTPResponse, Page } from 'puppeteer';
import { startApp, TestApp } from '../support/app';
import { ISSUER } from '../support/env';
import { USERS } from '../support/keycloak';

/**
 * A person opens Swagger UI in a real browser, logs in through Keycloak (authorization code + PKCE
 * in a popup) and calls the API with the token Swagger UI obtained.
 */

// The browser must use the origin registered as a redirect URI of the corporate-os-docs client.
const PORT = 3100;
const ORIGIN = `http://localhost:${PORT}`;
const TOKEN_ENDPOINT = `${ISSUER}/protocol/openid-connect/token`;
const FAILURE_DIR = resolve(__dirname, '../../.cache');

describe('single sign-on from Swagger UI in a real browser', () => {
  let testApp: TestApp;
  let browser: Browser;
  let page: Page;
  let popup: Page | null = null;
  let userDataDir: string;
  const browserLog: string[] = [];

  const record = (source: string, target: Page) => {
    target.on('console', (message) =>
      browserLog.push(`[${source} console.${message.type()}] ${message.text()}`),
    );
    target.on('pageerror', (error) => browserLog.push(`[${source} pageerror] ${String(error)}`));
    target.on('requestfailed', (req) =>
      browserLog.push(
        `[${source} requestfailed] ${req.method()} ${req.url()} ${req.failure()?.errorText}`,
      ),
    );
  };

  beforeAll(async () => {
    testApp = await startApp({ PUBLIC_BASE_URL: ORIGIN }, undefined, PORT);
    userDataDir = await mkdtemp(join(tmpdir(), 'corporate-os-sso-'));
    browser = await puppeteer.launch({
      executablePath: process.env.PUPPETEER_EXECUTABLE_PATH ?? '/usr/bin/chromium',
      headless: true,
      userDataDir,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    page = await browser.newPage();
    page.setDefaultTimeout(45_000);
    record('docs', page);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
    if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
  });

  /** On failure, leaves screenshots in .cache/ and prints what the browser said. */
  const withDiagnostics = async (scenario: () => Promise<void>) => {
    try {
      await scenario();
    } catch (error) {
      await mkdir(FAILURE_DIR, { recursive: true });
      await page
        .screenshot({ path: join(FAILURE_DIR, 'sso-failure.png'), fullPage: true })
        .catch(() => undefined);
      if (popup && !popup.isClosed()) {
        await popup
          .screenshot({ path: join(FAILURE_DIR, 'sso-failure-popup.png') })
          .catch(() => undefined);
        browserLog.push(`[popup url] ${popup.url()}`);
      }
      console.error(`Browser log:\n${browserLog.join('\n')}`);
      throw error;
    }
  };

  it('logs admin in through Keycloak with PKCE and calls GET /api/me with the bearer token', async () => {
    await withDiagnostics(async () => {
      const tokenRequests: HTTPRequest[] = [];
      page.on('request', (req) => {
        if (req.url() === TOKEN_ENDPOINT && req.method() === 'POST') tokenRequests.push(req);
      });

      await page.goto(`${ORIGIN}/docs`, { waitUntil: 'domcontentloaded' });
      await (await page.waitForSelector('.auth-wrapper button.authorize'))!.click();

      const keycloakScheme = await page.waitForSelector(
        '::-p-xpath(//div[contains(@class,"auth-container")][.//h4[contains(., "keycloak")]])',
      );
      const popupOpened = new Promise<Page | null>((resolve) => page.once('popup', resolve));
      await (await keycloakScheme!.waitForSelector('button.authorize'))!.click();

      popup = await popupOpened;
      expect(popup).not.toBeNull();
      record('popup', popup!);
      popup!.setDefaultTimeout(45_000);
      await popup!.waitForSelector('#username');
      expect(new URL(popup!.url()).origin + new URL(popup!.url()).pathname).toBe(
        `${ISSUER}/protocol/openid-connect/auth`,
      );
      await popup!.type('#username', USERS.admin.username);
      await popup!.type('#password', USERS.admin.password);
      const tokenResponse = page.waitForResponse(
        (res) => res.url() === TOKEN_ENDPOINT && res.request().method() === 'POST',
      );
      await popup!.click('#kc-login');

      const token = await tokenResponse;
      expect(token.status()).toBe(200);
      expect(tokenRequests).toHaveLength(1);
      const form = new URLSearchParams(tokenRequests[0].postData() ?? '');
      expect(tokenRequests[0].postData()).toContain('code_verifier=');
      expect(tokenRequests[0].postData()).toContain('grant_type=authorization_code');
      expect(form.get('client_id')).toBe('corporate-os-docs');
      expect(form.get('redirect_uri')).toBe(`${ORIGIN}/docs/oauth2-redirect.html`);

      // Swagger UI now shows the scheme as authorized; close the dialog.
      await page.waitForSelector(
        '::-p-xpath(//div[contains(@class,"auth-container")][.//h4[contains(., "keycloak")]]//button[normalize-space(.)="Logout"])',
      );
      await (await page.waitForSelector('.dialog-ux button.btn-done'))!.click();
      await page.waitForSelector('.dialog-ux', { hidden: true });

      const operation = await page.waitForSelector(
        '.opblock-get:has(.opblock-summary-path[data-path="/api/me"])',
      );
      await (await operation!.waitForSelector('.opblock-summary-control'))!.click();
      await (await operation!.waitForSelector('button.try-out__btn'))!.click();
      const apiResponse: Promise<HTTPResponse> = page.waitForResponse(
        (res) => res.url() === `${ORIGIN}/api/me` && res.request().method() === 'GET',
      );
      await (await operation!.waitForSelector('button.execute'))!.click();

      const network = await apiResponse;
      expect(network.status()).toBe(200);
      expect(network.request().headers()['authorization']).toMatch(
        /^Bearer [\w-]+\.[\w-]+\.[\w-]+$/,
      );

      const status = await operation!.waitForSelector(
        '.live-responses-table .response .response-col_status',
      );
      await expect(status!.evaluate((cell) => cell.textContent?.trim())).resolves.toBe('200');
      const body = await operation!.waitForSelector(
        '.live-responses-table .response .response-col_description .highlight-code',
      );
      await expect(body!.evaluate((code) => code.textContent)).resolves.toContain(
        '"username": "admin"',
      );
      expect(browserLog.filter((line) => /Content.Security.Policy/i.test(line))).toEqual([]);
    });
  }, 180_000);
});
