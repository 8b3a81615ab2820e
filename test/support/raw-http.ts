import { Agent, request } from 'node:http';

export interface RawRequest {
  method: string;
  /** Sent as written: the caller encodes it. */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

/**
 * One HTTP request with exactly the given method, path, headers and body bytes (supertest would
 * add a content type of its own, and refuses some paths).
 */
export function rawRequest(
  port: number,
  raw: RawRequest,
  timeoutMs = 15_000,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...raw.headers };
    if (raw.body !== undefined) headers['content-length'] = String(raw.body.length);
    const req = request(
      { host: '127.0.0.1', port, method: raw.method, path: raw.path, headers, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.setTimeout(timeoutMs, () =>
      req.destroy(new Error(`no answer within ${timeoutMs} ms to ${raw.method} ${raw.path}`)),
    );
    req.on('error', reject);
    req.end(raw.body);
  });
}

export function closeRawHttp(): void {
  agent.destroy();
}
