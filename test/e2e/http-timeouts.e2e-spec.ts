import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { startApp, TestApp } from '../support/app';

/** What a client that speaks raw HTTP saw: the answer's head and body, and when the server hung up. */
interface Exchange {
  status: number;
  headers: Record<string, string>;
  body: string;
  closedAfterMs: number;
}

const REQUEST_TIMEOUT_MS = 500;
/** Far beyond the timeout: a server that has not hung up by then hangs. */
const HANG_MS = 10_000;

/** Writes `sent` to a fresh connection, then stalls until the server answers and closes it. */
function stall(port: number, sent: string): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1', () => socket.write(sent));
    const chunks: Buffer[] = [];
    const hung = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server neither answered nor closed within ${HANG_MS} ms`));
    }, HANG_MS);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => undefined); // a reset after the answer is still a close
    socket.on('close', () => {
      clearTimeout(hung);
      resolve({
        ...parse(Buffer.concat(chunks).toString('utf8')),
        closedAfterMs: Date.now() - started,
      });
    });
  });
}

function parse(raw: string): Omit<Exchange, 'closedAfterMs'> {
  const [head = '', body = ''] = raw.split('\r\n\r\n', 2);
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(statusLine.split(' ')[1] ?? 0), headers, body };
}

/**
 * Answers the HTTP server gives before any route runs (a request that is not received in time,
 * malformed HTTP, headers too large) are problem+json with a request id and the security headers,
 * like every other answer; and the server then closes the connection instead of hanging.
 */
describe('HTTP timeouts and malformed requests', () => {
  let testApp: TestApp;
  let port: number;
  const previousTimeout = process.env.REQUEST_TIMEOUT_MS;

  beforeAll(async () => {
    process.env.REQUEST_TIMEOUT_MS = String(REQUEST_TIMEOUT_MS);
    testApp = await startApp({}, undefined, 0);
    port = (testApp.app.getHttpServer().address() as AddressInfo).port;
  });
  afterAll(async () => {
    if (previousTimeout === undefined) delete process.env.REQUEST_TIMEOUT_MS;
    else process.env.REQUEST_TIMEOUT_MS = previousTimeout;
    await testApp.close();
  });

  function expectProblem(exchange: Exchange, status: number, code: string): void {
    expect(exchange.status).toBe(status);
    expect(exchange.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(exchange.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(exchange.headers['x-content-type-options']).toBe('nosniff');
    expect(exchange.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(exchange.headers.connection).toBe('close');
    expect(JSON.parse(exchange.body)).toMatchObject({ status, code });
  }

  it('answers a body that stalls half-way with 408 problem+json and closes the connection', async () => {
    const exchange = await stall(
      port,
      'POST /api/token HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n' +
        'Content-Length: 100\r\n\r\n{"username":',
    );
    expectProblem(exchange, 408, 'REQUEST_TIMEOUT');
    expect(exchange.closedAfterMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 50);
  });

  it('answers headers that never end with 408 problem+json and closes the connection', async () => {
    const exchange = await stall(port, 'GET /health/live HTTP/1.1\r\nHost: localhost\r\nX-A: b');
    expectProblem(exchange, 408, 'REQUEST_TIMEOUT');
  });

  it('answers malformed HTTP with 400 problem+json', async () => {
    const exchange = await stall(
      port,
      'GET /health/live HTTP/1.1\r\nHost: localhost\r\nno colon\r\n\r\n',
    );
    expectProblem(exchange, 400, 'MALFORMED_REQUEST');
    expect(JSON.parse(exchange.body).detail).toMatch(/not valid HTTP/);
  });

  it('answers headers over the size limit with 431 problem+json', async () => {
    const exchange = await stall(
      port,
      `GET /health/live HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    expectProblem(exchange, 431, 'REQUEST_HEADER_FIELDS_TOO_LARGE');
  });

  it('lets a slow body that arrives within the timeout through, and serves others meanwhile', async () => {
    const server = testApp.app.getHttpServer();
    const slow = new Promise<Exchange>((resolve, reject) => {
      const chunks: Buffer[] = [];
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(
          'POST /api/token HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n' +
            'Content-Length: 2\r\nConnection: close\r\n\r\n[',
        );
        setTimeout(() => socket.write(']'), REQUEST_TIMEOUT_MS / 5);
      });
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      socket.on('error', reject);
      socket.on('close', () =>
        resolve({ ...parse(Buffer.concat(chunks).toString()), closedAfterMs: 0 }),
      );
    });
    await request(server).get('/health/live').expect(200);
    const answer = await slow;
    expect(answer.status).toBe(400); // the body rule: a JSON body must be an object
    expect(JSON.parse(answer.body)).toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});

/** A raw connection that has sent `sent` and collects what comes back until the server hangs up. */
async function openWith(port: number, sent: string) {
  const chunks: Buffer[] = [];
  const socket = connect(port, '127.0.0.1');
  const closed = new Promise<string>((resolve) =>
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8'))),
  );
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  socket.on('error', () => undefined);
  await new Promise<void>((resolve) => socket.on('connect', () => resolve()));
  socket.write(sent);
  return { rest: (more: string) => socket.write(more), closed };
}

describe('requests while the server closes', () => {
  it('finishes those in flight, answers new ones with 503 problem+json, and closes every connection', async () => {
    const graceMs = 1_000;
    const testApp = await startApp({ SHUTDOWN_GRACE_MS: graceMs }, undefined, 0);
    const port = (testApp.app.getHttpServer().address() as AddressInfo).port;
    const inFlight = await openWith(
      port,
      'POST /api/token HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n' +
        'Content-Length: 3\r\n\r\n[1',
    );
    const arriving = await openWith(port, 'GET /health/live HTTP/1.1\r\nHost: localhost\r\n');
    const silent = await openWith(port, ''); // connected, never sends: cut after the grace
    await new Promise((resolve) => setTimeout(resolve, 100));

    const started = Date.now();
    const closing = testApp.app.getHttpAdapter().getInstance().close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    inFlight.rest(']');
    arriving.rest('\r\n');
    const [served, refused] = await Promise.all([inFlight.closed, arriving.closed, silent.closed]);
    await closing;
    expect(Date.now() - started).toBeGreaterThanOrEqual(graceMs - 50);
    expect(Date.now() - started).toBeLessThan(graceMs + 3_000);
    await testApp.close();

    const first = parse(served);
    expect(first.status).toBe(400); // served: a JSON body must be an object
    expect(first.headers.connection).toBe('close');
    const answer = parse(refused);
    expect(answer.status).toBe(503);
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(answer.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect(answer.headers.connection).toBe('close');
    expect(answer.headers['retry-after']).toBe('1');
    expect(JSON.parse(answer.body)).toMatchObject({ status: 503, code: 'SHUTTING_DOWN' });
  });
});
