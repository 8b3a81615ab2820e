import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Database } from '../core/db/database.service';
import { CompanyContext } from '../core/tenancy/company-context';
import { CHECKPOINT_ALGORITHM, payloadFields } from './audit-checkpoint-payload';
import {
  CheckpointPublicKey,
  CheckpointSigner,
  SignatureCheck,
  SignedCheckpoint,
} from './audit-checkpoint-signer';
import { CHAIN_START, ChainPosition, ChainReader, walkChain } from './audit-chain-walk';
import { AuditChainBrokenError } from './audit.errors';
import { AuditRepository } from './audit.repository';
import type { AuditCheckpointPageDto, AuditCheckpointQueryDto } from './dto/audit-checkpoint.dto';
import {
  AuditCheckpointsRepository,
  CheckpointRow,
} from './persistence/audit-checkpoints.repository';

/** Checkpoints per export batch; they are small. */
const EXPORT_BATCH = 500;

export interface CheckpointOutcome {
  /** False when the head had a checkpoint already (or, on schedule, the latest is too recent). */
  created: boolean;
  /** The checkpoint of the head: the one made, or the latest; null while nothing is checkpointed. */
  checkpoint: SignedCheckpoint | null;
}

export function toSignedCheckpoint(row: CheckpointRow): SignedCheckpoint {
  return {
    seq: Number(row.seq),
    hash: row.hash,
    recorded_at: row.recorded_at.toISOString(),
    key_id: row.key_id,
    algorithm: CHECKPOINT_ALGORITHM,
    signature: row.signature,
    payload: row.payload,
    company_id: payloadFields(row.payload)?.company_id ?? null,
  };
}

/**
 * Signed checkpoints of the audit chain's head. A checkpoint is made only for a head that moved,
 * only after the entries since the previous checkpoint verify (so a rewritten chain is never
 * signed), and once per head however many instances try at the same moment: checkpointers take
 * one advisory lock, and the head's sequence number is the table's key. Making one writes no
 * audit entry (that would move the head again); it is logged instead.
 */
@Injectable()
export class AuditCheckpointService {
  private readonly logger = new Logger(AuditCheckpointService.name);
  private readonly readChain: ChainReader = (from, limit) => this.chain.chainFrom(from, limit);

  constructor(
    private readonly db: Database,
    private readonly checkpoints: AuditCheckpointsRepository,
    private readonly chain: AuditRepository,
    private readonly signer: CheckpointSigner,
  ) {}

  /**
   * Checkpoints the current head if it moved since the latest checkpoint and, when `minAgeMs` is
   * given (the scheduler), if the latest is at least that old by the database's clock.
   */
  checkpoint(minAgeMs = 0): Promise<CheckpointOutcome> {
    return this.db.transaction(async (tx) => {
      await this.checkpoints.lock(tx);
      const latestRow = await this.checkpoints.latest(tx);
      const latest = latestRow ? toSignedCheckpoint(latestRow) : null;
      const now = await this.checkpoints.clock(tx);
      if (latest && now.getTime() - Date.parse(latest.recorded_at) < minAgeMs) {
        return { created: false, checkpoint: latest };
      }
      const head = await this.verifiedHead(latest);
      if (head.seq === 0n || (latest && head.seq <= BigInt(latest.seq))) {
        return { created: false, checkpoint: latest };
      }
      return { created: true, checkpoint: await this.store(tx, head, now) };
    });
  }

  /**
   * The head of the chain, walked from the latest checkpoint when its signature holds (else from
   * the start). Throws AuditChainBrokenError when an entry on the way does not verify.
   */
  private async verifiedHead(latest: SignedCheckpoint | null): Promise<ChainPosition> {
    let start = CHAIN_START;
    if (latest && this.check(latest) === 'valid') {
      start = { seq: BigInt(latest.seq), hash: latest.hash };
    } else if (latest) {
      this.logger.warn(
        { seq: latest.seq, keyId: latest.key_id },
        'The latest audit checkpoint does not verify with a known key: walking the whole chain',
      );
    }
    const walk = await walkChain(this.readChain, start);
    if (walk.broken) {
      this.logger.error(
        { seq: Number(walk.broken.seq), code: walk.broken.code },
        'The audit chain does not verify: no checkpoint made',
      );
      throw new AuditChainBrokenError(walk.broken.seq, walk.broken.reason);
    }
    return walk.last;
  }

  private async store(
    tx: EntityManager,
    head: ChainPosition,
    now: Date,
  ): Promise<SignedCheckpoint> {
    const checkpoint = this.signer.sign(head, now, CompanyContext.require());
    // The lock makes a conflict impossible among checkpointers; the key would refuse one anyway.
    if (!(await this.checkpoints.insert(tx, checkpoint))) {
      throw new Error(`entry ${checkpoint.seq} has a checkpoint already`);
    }
    this.logger.log(
      { seq: checkpoint.seq, hash: checkpoint.hash, keyId: checkpoint.key_id },
      'Audit checkpoint made',
    );
    return checkpoint;
  }

  /**
   * The scheduler's round: checkpoints every company whose head moved, each for its company
   * (see `checkpoint`). A company whose chain does not verify is skipped (logged by the walk).
   */
  async checkpointDue(minAgeMs: number): Promise<void> {
    for (const companyId of await this.checkpoints.dueCompanies()) {
      try {
        await CompanyContext.run(companyId, () => this.checkpoint(minAgeMs));
      } catch (error) {
        if (!(error instanceof AuditChainBrokenError)) throw error;
      }
    }
  }

  async page(query: AuditCheckpointQueryDto): Promise<AuditCheckpointPageDto> {
    // One row beyond the page tells whether there is a next one.
    const rows = await this.checkpoints.page(query.order, query.limit + 1, query.cursor);
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toSignedCheckpoint),
      next_cursor: rows.length > query.limit && last ? last.seq : null,
    };
  }

  /** Every checkpoint in keyset batches, read only as the consumer asks for them. */
  async *exportBatches(order: 'asc' | 'desc'): AsyncGenerator<SignedCheckpoint[]> {
    let after: string | undefined;
    for (;;) {
      const rows = await this.checkpoints.page(order, EXPORT_BATCH, after);
      const last = rows[rows.length - 1];
      if (!last) return;
      after = last.seq;
      yield rows.map(toSignedCheckpoint);
      if (rows.length < EXPORT_BATCH) return;
    }
  }

  async latest(): Promise<SignedCheckpoint | null> {
    const row = await this.checkpoints.latest();
    return row ? toSignedCheckpoint(row) : null;
  }

  async bySeq(seq: string): Promise<SignedCheckpoint | null> {
    const row = await this.checkpoints.bySeq(seq);
    return row ? toSignedCheckpoint(row) : null;
  }

  /** Checked for the current company: a checkpoint naming another company is invalid here. */
  check(checkpoint: Omit<SignedCheckpoint, 'algorithm' | 'company_id'>): SignatureCheck {
    return this.signer.check(checkpoint, CompanyContext.current());
  }

  publicKeys(): CheckpointPublicKey[] {
    return this.signer.keys();
  }
}
