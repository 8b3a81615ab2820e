import { createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { DefaultCompany } from '../../src/core/tenancy/default-company';
import { Database } from '../../src/core/db/database.service';
import request from 'supertest';
import { parseEd25519PrivateKey, publicKeyPem } from '../../src/core/crypto/ed25519-keys';
import { Api } from '../support/api';
import { startApp, TestApp } from '../support/app';
import { closeDb, count, db } from '../support/db';
import { eventually } from '../support/wait';

interface Checkpoint {
  seq: number;
  hash: string;
  recorded_at: string;
  key_id: string;
  algorithm: string;
  signature: string;
  payload: string;
}

interface PublicKey {
  key_id: string;
  algorithm: string;
  public_key: string;
  signing: boolean;
}

/** Appends `n` entries through the real writer, as the relay would. */
async function append(testApp: TestApp, n: number, label = 'checkpoint-test'): Promise<void> {
  const { AuditWriter } = await import('../../src/audit/audit-writer.service');
  const writer = testApp.app.get(AuditWriter);
  const inputs = Array.from({ length: n }, (_, i) => ({
    occurredAt: new Date(),
    actor: { sub: 's', name: label, client_id: 'test', roles: [] },
    action: 'company.updated' as const,
    entityType: 'company',
    entityId: null,
    before: { legal_name: `Before ${i}`, country: 'GB' },
    after: { legal_name: `After ${i}`, country: 'FR' },
    requestId: null,
    outcome: 'success' as const,
    sourceEventId: null,
  }));
  const database = testApp.app.get(Database);
  await testApp.inDefaultCompany(() => database.transaction((tx) => writer.appendAll(tx, inputs)));
}

async function checkpointService(testApp: TestApp) {
  const { AuditCheckpointService } = await import('../../src/audit/audit-checkpoint.service');
  return testApp.app.get(AuditCheckpointService);
}

async function headSeq(): Promise<number> {
  const { rows } = await db().query<{ max: string | null }>(
    'SELECT max(seq)::text AS max FROM audit_entry WHERE company_id = app_first_company_id()',
  );
  return Number(rows[0]?.max ?? 0);
}

/**
 * Runs `work` as the superuser with the append-only trigger of `table` switched off, inside one
 * transaction (nobody else ever sees the trigger off), as someone with full database access could.
 */
type Query = (text: string, values?: unknown[]) => Promise<{ rows: unknown[] }>;

async function behindTheTrigger(table: string, work: (sql: Query) => Promise<void>) {
  const client = await db().connect();
  const query: Query = (text, values = []) => client.query(text, values);
  try {
    await client.query('BEGIN');
    await client.query(`ALTER TABLE ${table} DISABLE TRIGGER trg_${table}_append_only`);
    await work(query);
    await client.query(`ALTER TABLE ${table} ENABLE TRIGGER trg_${table}_append_only`);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

/** Removes the entries above `keep` and answers them, exactly as stored, to put back later. */
async function cutChainAbove(keep: number): Promise<string> {
  let saved = '[]';
  await behindTheTrigger('audit_entry', async (sql) => {
    const { rows } = await sql(
      'SELECT json_agg(e ORDER BY seq)::text AS saved FROM audit_entry e WHERE seq > $1',
      [keep],
    );
    saved = (rows[0] as { saved: string }).saved;
    await sql('DELETE FROM audit_entry WHERE seq > $1', [keep]);
  });
  return saved;
}

async function putBack(saved: string, above: number): Promise<void> {
  await behindTheTrigger('audit_entry', async (sql) => {
    await sql('DELETE FROM audit_entry WHERE seq > $1', [above]);
    await sql(
      'INSERT INTO audit_entry SELECT * FROM json_populate_recordset(NULL::audit_entry, $1::json)',
      [saved],
    );
  });
}

const saved = (checkpoint: Checkpoint) =>
  Buffer.from(JSON.stringify(checkpoint)).toString('base64url');

describe('audit checkpoints', () => {
  let testApp: TestApp;
  let api: Api;
  /** The checkpoint made first, as an auditor would have saved it. */
  let kept: Checkpoint;

  beforeAll(async () => {
    // No relay (nothing else appends while a test cuts the chain) and no schedule: every
    // checkpoint here is made on purpose.
    testApp = await startApp({ OUTBOX_RELAY_ENABLED: false, AUDIT_CHECKPOINT_INTERVAL_MS: 0 });
    api = new Api(testApp);
  });
  afterAll(async () => {
    await testApp.close();
    await closeDb();
  });

  const verifyWith = async (query = '', as: 'auditor' | 'admin' = 'auditor') => {
    const response = await api.get(`/api/audit/verify${query}`, as);
    expect(response.status).toBe(200);
    return response.body as Record<string, unknown> & {
      checkpoint: Record<string, unknown> | null;
      latest_checkpoint: Record<string, unknown> | null;
    };
  };

  it('makes a checkpoint of the head on demand, once per head, without an audit entry', async () => {
    await append(testApp, 3);
    const head = await headSeq();
    const made = await api.post('/api/audit/checkpoints', {}, 'admin');
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      created: true,
      checkpoint: { seq: head, algorithm: 'Ed25519' },
    });
    kept = made.body.checkpoint as Checkpoint;
    const { rows } = await db().query(
      'SELECT hash FROM audit_entry WHERE company_id = app_first_company_id() AND seq = $1',
      [head],
    );
    expect(kept.hash).toBe(rows[0].hash);
    expect(await headSeq()).toBe(head);

    const again = await api.post('/api/audit/checkpoints', {}, 'admin');
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ created: false, checkpoint: kept });
    expect(
      await count(
        'SELECT 1 FROM audit_checkpoint WHERE company_id = app_first_company_id() AND seq = $1',
        [head],
      ),
    ).toBe(1);
  });

  it('lists checkpoints newest first, pages them, and exports them as JSON and NDJSON', async () => {
    for (let round = 0; round < 2; round += 1) {
      await append(testApp, 1);
      const service = await checkpointService(testApp);
      expect((await testApp.inDefaultCompany(() => service.checkpoint())).created).toBe(true);
    }
    const all = (await api.get('/api/audit/checkpoints/?limit=500', 'auditor')).body
      .items as Checkpoint[];
    expect(all.length).toBeGreaterThanOrEqual(3);
    expect(all.map((c) => c.seq)).toEqual([...all.map((c) => c.seq)].sort((a, b) => b - a));
    expect(all).toContainEqual(kept);

    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: Checkpoint[]; next_cursor: string | null } } = await api.get(
        `/api/audit/checkpoints?order=asc&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        'admin',
      );
      seen.push(...page.body.items.map((c) => c.seq));
      cursor = page.body.next_cursor;
    } while (cursor && seen.length <= all.length);
    expect(seen).toEqual([...all.map((c) => c.seq)].reverse());

    const json = await api.get('/api/audit/checkpoints/export', 'auditor');
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(json.text)).toEqual(all);
    const ndjson = await api.get(
      '/api/audit/checkpoints/export?format=ndjson&order=asc',
      'auditor',
    );
    expect(ndjson.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const lines = ndjson.text.trimEnd().split('\n');
    expect(lines.map((line) => JSON.parse(line))).toEqual([...all].reverse());
  });

  it('signs each checkpoint so that its public key alone verifies it offline', async () => {
    const keys = (await api.get('/api/audit/checkpoints/public-keys', 'auditor'))
      .body as PublicKey[];
    const signing = keys.find((k) => k.signing);
    expect(signing).toMatchObject({ key_id: kept.key_id, algorithm: 'Ed25519' });
    // What the README tells an auditor to do with the saved JSON and the PEM, nothing else.
    const publicKey = createPublicKey(signing?.public_key ?? '');
    const signature = Buffer.from(kept.signature, 'base64');
    expect(verify(null, Buffer.from(kept.payload, 'utf8'), publicKey, signature)).toBe(true);
    // It names the company whose chain it checkpoints.
    expect(JSON.parse(kept.payload)).toEqual({
      algorithm: 'Ed25519',
      company_id: await testApp.app.get(DefaultCompany).id(),
      hash: kept.hash,
      key_id: kept.key_id,
      recorded_at: kept.recorded_at,
      seq: kept.seq,
      type: 'corporate-os.audit-checkpoint.v2',
    });
    const altered = kept.payload.replace(`"seq":${kept.seq}`, `"seq":${kept.seq - 1}`);
    expect(verify(null, Buffer.from(altered, 'utf8'), publicKey, signature)).toBe(false);
  });

  it('verifies the chain against the latest checkpoint and against a saved one', async () => {
    const plain = await verifyWith();
    expect(plain).toMatchObject({ ok: true, reason_code: null, checkpoint: null });
    expect(plain.latest_checkpoint).toMatchObject({ signature_valid: true, in_chain: true });
    const withSaved = await verifyWith(`?checkpoint=${saved(kept)}`);
    expect(withSaved).toMatchObject({
      ok: true,
      checkpoint: { seq: kept.seq, hash: kept.hash, signature_valid: true, in_chain: true },
    });
    const standardBase64 = Buffer.from(JSON.stringify(kept)).toString('base64');
    expect(await verifyWith(`?checkpoint=${encodeURIComponent(standardBase64)}`)).toMatchObject({
      ok: true,
    });
    expect(await verifyWith(`?checkpoint=${kept.seq}`)).toMatchObject({
      ok: true,
      checkpoint: { seq: kept.seq, in_chain: true },
    });
    expect(await verifyWith('?checkpoint=999999999')).toMatchObject({
      ok: false,
      reason_code: 'CHECKPOINT_NOT_FOUND',
    });
  });

  it('finds the end of the chain cut off: TRUNCATED, and the saved checkpoint no longer in it', async () => {
    const head = await headSeq();
    const service = await checkpointService(testApp);
    const latest = (await testApp.inDefaultCompany(() => service.latest())) as Checkpoint;
    expect(latest.seq).toBe(head);
    const cut = await cutChainAbove(head - 2);
    try {
      const plain = await verifyWith();
      expect(plain).toMatchObject({
        ok: false,
        reason_code: 'TRUNCATED',
        head_seq: head - 2,
        first_broken_seq: head - 1,
        latest_checkpoint: { seq: head, signature_valid: true, in_chain: false },
      });
      expect(await verifyWith(`?checkpoint=${saved(latest)}`)).toMatchObject({
        ok: false,
        reason_code: 'CHECKPOINT_NOT_IN_CHAIN',
        checkpoint: { seq: head, signature_valid: true, in_chain: false },
      });
      // Nothing new to sign: the chain ends below the latest checkpoint.
      const attempt = await api.post('/api/audit/checkpoints', {}, 'admin');
      expect(attempt.body).toMatchObject({ created: false, checkpoint: { seq: head } });
    } finally {
      await putBack(cut, head - 2);
    }
    expect(await verifyWith()).toMatchObject({ ok: true, head_seq: head });
  });

  it('finds a rewritten end under a checkpoint, though the rewritten chain links up', async () => {
    const head = await headSeq();
    const cut = await cutChainAbove(head - 1);
    try {
      await append(testApp, 1, 'rewritten');
      expect(await headSeq()).toBe(head);
      const plain = await verifyWith();
      expect(plain).toMatchObject({
        ok: false,
        reason_code: 'CHECKPOINT_NOT_IN_CHAIN',
        first_broken_seq: head,
        head_seq: head,
      });
      const refused = await api.post('/api/audit/checkpoints', {}, 'admin');
      expect(refused.body).toMatchObject({ created: false, checkpoint: { seq: head } });
    } finally {
      await putBack(cut, head - 1);
    }
    expect(await verifyWith()).toMatchObject({ ok: true });
  });

  it('names the entry whose search text was changed to hide it from search', async () => {
    await append(testApp, 1, 'hidden-actor-x');
    const seq = await headSeq();
    const found = () =>
      api.get('/api/audit/?q=hidden-actor-x', 'auditor').then((r) => r.body.items as unknown[]);
    expect(await found()).toHaveLength(1);
    const { rows } = await db().query(
      'SELECT search_text FROM audit_entry WHERE company_id = app_first_company_id() AND seq = $1',
      [seq],
    );
    const original = rows[0].search_text as string;
    const setSearchText = (text: string) =>
      behindTheTrigger('audit_entry', async (sql) => {
        await sql(
          'UPDATE audit_entry SET search_text = $2 WHERE company_id = app_first_company_id() AND seq = $1',
          [seq, text],
        );
      });
    await setSearchText(original.replace('hidden-actor-x', 'nothing-to-see'));
    try {
      expect(await found()).toHaveLength(0);
      expect(await verifyWith('', 'admin')).toMatchObject({
        ok: false,
        first_broken_seq: seq,
        reason_code: 'SEARCH_TEXT_MISMATCH',
      });
      // As entries were written before search texts were canonical: keys in the writer's order.
      await setSearchText(
        original
          .replace(
            '{"country":"gb","legal_name":"before 0"}',
            '{"legal_name":"before 0","country":"gb"}',
          )
          .replace(
            '{"country":"fr","legal_name":"after 0"}',
            '{"legal_name":"after 0","country":"fr"}',
          ),
      );
      expect(await verifyWith()).toMatchObject({ ok: true });
    } finally {
      await setSearchText(original);
    }
    expect(await verifyWith()).toMatchObject({ ok: true });
  });

  it('refuses a checkpoint whose signature or content was tampered with', async () => {
    const flipped = `${kept.signature.startsWith('A') ? 'B' : 'A'}${kept.signature.slice(1)}`;
    expect(await verifyWith(`?checkpoint=${saved({ ...kept, signature: flipped })}`)).toMatchObject(
      {
        ok: false,
        reason_code: 'CHECKPOINT_SIGNATURE_INVALID',
        checkpoint: { signature_valid: false, in_chain: true },
      },
    );
    const otherHash = 'f'.repeat(64);
    for (const tampered of [
      { ...kept, hash: otherHash },
      { ...kept, payload: kept.payload.replace(kept.hash, otherHash), hash: otherHash },
    ]) {
      expect(await verifyWith(`?checkpoint=${saved(tampered)}`)).toMatchObject({
        ok: false,
        reason_code: 'CHECKPOINT_SIGNATURE_INVALID',
      });
    }
  });

  it('refuses a stored checkpoint that no known key signed', async () => {
    const seq = await headSeq();
    const { privateKey } = generateKeyPairSync('ed25519');
    const forgedPayload = kept.payload.replace(`"seq":${kept.seq}`, `"seq":${seq + 5}`);
    const forgedSignature = sign(null, Buffer.from(forgedPayload), privateKey).toString('base64');
    await db().query(
      `INSERT INTO audit_checkpoint (company_id, seq, hash, recorded_at, key_id, signature, payload)
       VALUES (app_first_company_id(), $1, $2, $3, $4, $5, $6)`,
      [seq + 5, kept.hash, kept.recorded_at, kept.key_id, forgedSignature, forgedPayload],
    );
    try {
      expect(await verifyWith()).toMatchObject({
        ok: false,
        reason_code: 'CHECKPOINT_SIGNATURE_INVALID',
        latest_checkpoint: { seq: seq + 5, signature_valid: false },
      });
    } finally {
      await behindTheTrigger('audit_checkpoint', async (sql) => {
        await sql(
          'DELETE FROM audit_checkpoint WHERE company_id = app_first_company_id() AND seq = $1',
          [seq + 5],
        );
      });
    }
    expect(await verifyWith()).toMatchObject({ ok: true });
  });

  it('answers a malformed checkpoint parameter with 400 problem+json naming it', async () => {
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const value of [
      'not a checkpoint!',
      '0',
      '99999999999999999999',
      Buffer.from('this is not json at all').toString('base64url'),
      b64([1, 2, 3]),
      b64({ seq: kept.seq, hash: kept.hash }),
      b64({ ...kept, payload: '{"seq":1}' }),
      'A'.repeat(9000),
    ]) {
      const response = await api.get(
        `/api/audit/verify?checkpoint=${encodeURIComponent(value)}`,
        'auditor',
      );
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({
        status: 400,
        code: 'VALIDATION_FAILED',
        errors: [expect.objectContaining({ field: 'checkpoint' })],
      });
    }
  });

  it('is for auditors and admins; making a checkpoint is for admins', async () => {
    for (const path of [
      '/api/audit/checkpoints',
      '/api/audit/checkpoints/export',
      '/api/audit/checkpoints/public-keys',
      `/api/audit/verify?checkpoint=${kept.seq}`,
    ]) {
      expect((await api.get(path, 'shareholder1')).status).toBe(403);
      expect((await api.get(path, 'anonymous')).status).toBe(401);
    }
    const before = await count('SELECT 1 FROM audit_checkpoint');
    await append(testApp, 1);
    expect((await api.post('/api/audit/checkpoints', {}, 'auditor')).status).toBe(403);
    expect((await api.post('/api/audit/checkpoints', {}, 'shareholder1')).status).toBe(403);
    expect((await request(api.server).post('/api/audit/checkpoints').send({})).status).toBe(401);
    expect(await count('SELECT 1 FROM audit_checkpoint')).toBe(before);
  });

  it('lets the application role read and append checkpoints, never change or remove them', async () => {
    const client = await db().connect();
    const asApp = async (sql: string) => {
      await client.query('BEGIN');
      try {
        await client.query('SET LOCAL ROLE corporate_os_app');
        return await client.query(sql);
      } finally {
        await client.query('ROLLBACK');
      }
    };
    try {
      await expect(asApp('SELECT count(*) FROM audit_checkpoint')).resolves.toBeDefined();
      for (const sql of [
        "UPDATE audit_checkpoint SET hash = repeat('0', 64)",
        'DELETE FROM audit_checkpoint',
        'TRUNCATE audit_checkpoint',
      ]) {
        await expect(asApp(sql)).rejects.toThrow(/permission denied/);
      }
    } finally {
      client.release();
    }
    // And the owner is refused by the trigger.
    for (const sql of [
      "UPDATE audit_checkpoint SET hash = repeat('0', 64)",
      'DELETE FROM audit_checkpoint',
      'TRUNCATE audit_checkpoint',
    ]) {
      await expect(db().query(sql)).rejects.toThrow(/audit_checkpoint is append-only/);
    }
  });
});

describe('audit checkpoints on several instances', () => {
  const instances: TestApp[] = [];

  afterAll(async () => {
    await Promise.all(instances.map((instance) => instance.close()));
    await closeDb();
  });

  it('makes one checkpoint per head when instances checkpoint at the same moment', async () => {
    for (let i = 0; i < 2; i += 1) {
      instances.push(
        await startApp({ OUTBOX_RELAY_ENABLED: false, AUDIT_CHECKPOINT_INTERVAL_MS: 0 }),
      );
    }
    const services = await Promise.all(
      instances.map(async (instance) => {
        const service = await checkpointService(instance);
        return { checkpoint: () => instance.inDefaultCompany(() => service.checkpoint()) };
      }),
    );
    for (let round = 0; round < 3; round += 1) {
      await append(instances[0], 2);
      const head = await headSeq();
      const outcomes = await Promise.all(
        [...services, ...services, ...services].map((service) => service.checkpoint()),
      );
      expect(outcomes.filter((o) => o.created)).toHaveLength(1);
      expect(new Set(outcomes.map((o) => o.checkpoint?.seq))).toEqual(new Set([head]));
      expect(
        await count(
          'SELECT 1 FROM audit_checkpoint WHERE company_id = app_first_company_id() AND seq = $1',
          [head],
        ),
      ).toBe(1);
    }
  });

  it('checkpoints on schedule while the head moves, and not while it stands still', async () => {
    const scheduled = await startApp({
      OUTBOX_RELAY_ENABLED: false,
      AUDIT_CHECKPOINT_INTERVAL_MS: 1_000,
    });
    instances.push(scheduled);
    await append(scheduled, 1);
    const head = await headSeq();
    await eventually(
      async () =>
        (await count(
          'SELECT 1 FROM audit_checkpoint WHERE company_id = app_first_company_id() AND seq = $1',
          [head],
        )) === 1
          ? true
          : undefined,
      10_000,
      'a scheduled checkpoint of the new head',
    );
    const made = await count('SELECT 1 FROM audit_checkpoint');
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(await count('SELECT 1 FROM audit_checkpoint')).toBe(made);
    const api = new Api(scheduled);
    expect((await api.get('/api/audit/verify', 'auditor')).body).toMatchObject({
      ok: true,
      latest_checkpoint: { seq: head, signature_valid: true, in_chain: true },
    });
  });
});

describe('audit checkpoints after the signing key is rotated', () => {
  const { privateKey: newKey } = generateKeyPairSync('ed25519');
  /** The public key of the run's signing key, which signed every checkpoint so far. */
  const oldPublicKey = () =>
    publicKeyPem(
      createPublicKey(parseEd25519PrivateKey(process.env.AUDIT_CHECKPOINT_SIGNING_KEY ?? '')),
    );
  const apps: TestApp[] = [];

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await closeDb();
  });

  const rotated = async (publicKeys?: string) => {
    const app = await startApp({
      OUTBOX_RELAY_ENABLED: false,
      AUDIT_CHECKPOINT_INTERVAL_MS: 0,
      auditCheckpointSigningKey: newKey,
      AUDIT_CHECKPOINT_PUBLIC_KEYS: publicKeys,
    });
    apps.push(app);
    return new Api(app);
  };

  it('still verifies older checkpoints while the old public key is listed, and only then', async () => {
    const listed = await rotated(oldPublicKey());
    const keys = (await listed.get('/api/audit/checkpoints/public-keys', 'auditor'))
      .body as PublicKey[];
    expect(keys.map((k) => k.signing)).toEqual([true, false]);
    expect((await listed.get('/api/audit/verify', 'auditor')).body).toMatchObject({
      ok: true,
      latest_checkpoint: { signature_valid: true, key_id: keys[1]?.key_id },
    });
    const forgotten = await rotated();
    expect((await forgotten.get('/api/audit/verify', 'auditor')).body).toMatchObject({
      ok: false,
      reason_code: 'CHECKPOINT_KEY_UNKNOWN',
      latest_checkpoint: { signature_valid: false, in_chain: true },
    });
  });
});
