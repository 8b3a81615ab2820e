import { Injectable } from '@nestjs/common';
import { CheckpointReference, checkpointReferenceOf } from './audit-checkpoint-reference';
import { AuditCheckpointService } from './audit-checkpoint.service';
import { walkChain } from './audit-chain-walk';
import { decodeCursor, encodeCursor } from './audit-query';
import { CheckpointUnderTest, verificationOf } from './audit-verification';
import { AuditExportFormat, exportBody } from './audit-export';
import { AuditRepository } from './audit.repository';
import type { AuditFilterDto, AuditQueryDto, AuditVerificationDto } from './dto/audit-query.dto';

/** Read side of the audit log: search, export and chain verification. Nothing here writes. */
@Injectable()
export class AuditService {
  constructor(
    private readonly repository: AuditRepository,
    private readonly checkpoints: AuditCheckpointService,
  ) {}

  /**
   * One page as the JSON text of an AuditPageDto: each entry's JSON as PostgreSQL wrote it (the
   * same line as the export's), put together without parsing it.
   */
  async search(query: AuditQueryDto): Promise<string> {
    const cursor = query.cursor ? decodeCursor(query.cursor) : undefined;
    // One row beyond the page tells whether there is a next one.
    const rows = await this.repository.page(query, query.limit + 1, cursor);
    const page = rows.length > query.limit ? rows.slice(0, query.limit) : rows;
    const last = page[page.length - 1];
    const next = rows.length > query.limit && last ? encodeCursor(last) : null;
    return `{"items":[${page.map((row) => row.line).join(',')}],"next_cursor":${JSON.stringify(next)}}`;
  }

  /**
   * Every matching entry as the body of an export in `format` (see exportBody), streamed from one
   * statement (consistent as of its start) as the database writes it: the next chunk is read only
   * when the consumer asks for it, so memory stays flat however many entries there are.
   */
  exportBody(filter: AuditFilterDto, format: AuditExportFormat): AsyncGenerator<Buffer> {
    return exportBody(format, this.repository.exportLines(filter, format));
  }

  /**
   * Walks the whole chain in sequence order and reports the first entry that does not verify:
   * its links, its hash, and its search text (derived from the hashed fields, so that a changed
   * search text cannot hide an entry from search). Then holds the chain against the checkpoint
   * given as `checkpoint` (a sequence number or a saved checkpoint's base64 JSON), and against the
   * latest stored checkpoint: each must be signed by a known key and its entry must still be in
   * the chain with its hash; a chain that ends below the latest checkpoint was cut off.
   */
  async verify(checkpoint?: string): Promise<AuditVerificationDto> {
    const given = checkpoint ? await this.given(checkpointReferenceOf(checkpoint)) : null;
    // Read before the walk: a checkpoint made meanwhile is of a head the walk does reach.
    const stored = await this.checkpoints.latest();
    const latest: CheckpointUnderTest | null = stored
      ? { source: 'latest', checkpoint: stored, signature: this.checkpoints.check(stored) }
      : null;
    const capture = [given, latest].flatMap((test) =>
      test && 'checkpoint' in test ? [BigInt(test.checkpoint.seq)] : [],
    );
    const walk = await walkChain(
      (from, limit) => this.repository.chainFrom(from, limit),
      undefined,
      capture,
    );
    return verificationOf(walk, given, latest);
  }

  private async given(
    reference: CheckpointReference,
  ): Promise<CheckpointUnderTest | { missingSeq: string }> {
    if ('seq' in reference) {
      const stored = await this.checkpoints.bySeq(reference.seq);
      if (!stored) return { missingSeq: reference.seq };
      return { source: 'given', checkpoint: stored, signature: this.checkpoints.check(stored) };
    }
    const { consistent, ...checkpoint } = reference.saved;
    const signature = consistent ? this.checkpoints.check(checkpoint) : 'invalid';
    return { source: 'given', checkpoint, signature };
  }
}
