import type { SignedCheckpoint } from './audit-checkpoint-signer';

export type CheckpointExportFormat = 'json' | 'ndjson';

/**
 * The body of a checkpoint export as text chunks, one per batch: a JSON array with one checkpoint
 * per line, or NDJSON (one checkpoint per line and nothing else, so each line is a checkpoint an
 * auditor can keep and pass to verify as it is). No CSV: a base64 signature may start with `+`,
 * which the CSV formula rule would alter.
 */
export async function* checkpointExportChunks(
  format: CheckpointExportFormat,
  batches: AsyncIterable<SignedCheckpoint[]>,
): AsyncGenerator<string> {
  let separator = format === 'json' ? '\n' : '';
  if (format === 'json') yield '[';
  for await (const batch of batches) {
    let text = '';
    for (const checkpoint of batch) {
      text +=
        format === 'json'
          ? separator + JSON.stringify(checkpoint)
          : `${JSON.stringify(checkpoint)}\n`;
      separator = ',\n';
    }
    yield text;
  }
  if (format === 'json') yield '\n]\n';
}
