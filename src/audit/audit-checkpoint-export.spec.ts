import { checkpointExportChunks, CheckpointExportFormat } from './audit-checkpoint-export';
import type { SignedCheckpoint } from './audit-checkpoint-signer';

const checkpoint = (seq: number): SignedCheckpoint => ({
  seq,
  hash: 'a'.repeat(64),
  recorded_at: '2026-12-01T00:00:00.000Z',
  key_id: '0123456789abcdef',
  algorithm: 'Ed25519',
  signature: `+${'A'.repeat(85)}==`,
  payload: `{"seq":${seq}}`,
});

async function* batchesOf(...batches: SignedCheckpoint[][]) {
  for (const batch of batches) {
    await Promise.resolve();
    yield batch;
  }
}

async function body(format: CheckpointExportFormat, ...batches: SignedCheckpoint[][]) {
  let text = '';
  for await (const chunk of checkpointExportChunks(format, batchesOf(...batches))) text += chunk;
  return text;
}

describe('checkpointExportChunks', () => {
  it('writes a JSON array, one checkpoint per line', async () => {
    const all = [checkpoint(1), checkpoint(2), checkpoint(3)];
    const text = await body('json', all.slice(0, 2), all.slice(2));
    expect(text).toBe(`[\n${all.map((c) => JSON.stringify(c)).join(',\n')}\n]\n`);
    expect(JSON.parse(text)).toEqual(all);
    expect(JSON.parse(await body('json'))).toEqual([]);
  });

  it('writes NDJSON: each line one checkpoint as listed, signatures untouched', async () => {
    const all = [checkpoint(1), checkpoint(2)];
    const text = await body('ndjson', [all[0]], [all[1]]);
    expect(text.split('\n')).toEqual([...all.map((c) => JSON.stringify(c)), '']);
    expect(await body('ndjson')).toBe('');
  });
});
