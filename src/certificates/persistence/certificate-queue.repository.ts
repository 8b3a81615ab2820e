import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Database, sql } from '../../core/db/database.service';
import type { EventActor } from '../../events';
import type { CertificateNumberRelation, CertificateStateRelation } from '../../issuances';

export interface ClaimedRequest {
  company_id: string;
  issuance_id: string;
  issued_at: Date;
  attempts: number;
  actor: EventActor;
  request_id: string | null;
}

export interface QueuedRequest {
  issuanceId: string;
  issuedAt: Date;
  actor: EventActor;
  requestId: string | null;
}

/** The numbers as the issuances module joins them: `(issuance_id, certificate_number)`. */
export const CERTIFICATE_NUMBER_RELATION: CertificateNumberRelation = {
  relation: sql`SELECT issuance_id, certificate_number FROM certificate_assignment`,
};

/**
 * The issuances module's CERTIFICATE_STATES port: per issuance, its active certificate versions,
 * whether a render is pending, and whether its latest version was voided.
 */
export const CERTIFICATE_STATE_RELATION: CertificateStateRelation = {
  relation: sql`
    SELECT k.issuance_id,
           (SELECT count(*)::int FROM certificate c
             WHERE c.issuance_id = k.issuance_id AND c.status = 'active') AS active,
           EXISTS (SELECT 1 FROM certificate_request r WHERE r.issuance_id = k.issuance_id) AS pending,
           coalesce((SELECT c.status = 'void' FROM certificate c WHERE c.issuance_id = k.issuance_id
                      ORDER BY c.version DESC LIMIT 1), false) AS voided
      FROM (SELECT issuance_id FROM certificate UNION SELECT issuance_id FROM certificate_request) k`,
};

const seconds = (ms: number) => sql`make_interval(secs => ${ms}::double precision / 1000)`;

/**
 * The render queue (certificate_request) and the numbering (certificate_counter,
 * certificate_assignment) of the certificates module.
 */
@Injectable()
export class CertificateQueueRepository {
  constructor(private readonly db: Database) {}

  async enqueue(tx: EntityManager, requests: QueuedRequest[]): Promise<void> {
    await this.db.run(
      sql`INSERT INTO certificate_request (issuance_id, issued_at, actor, request_id)
          SELECT * FROM unnest(${requests.map((r) => r.issuanceId)}::uuid[],
                               ${requests.map((r) => r.issuedAt)}::timestamptz[],
                               ${requests.map((r) => JSON.stringify(r.actor))}::jsonb[],
                               ${requests.map((r) => r.requestId)}::varchar[])
          ON CONFLICT (company_id, issuance_id) DO NOTHING`,
      { tx },
    );
  }

  /**
   * Claims due requests of every company under a lease, oldest issuance first (FOR UPDATE SKIP
   * LOCKED): the schema's SECURITY DEFINER function, since the queue is shared by all companies.
   */
  claim(limit: number, leaseMs: number): Promise<ClaimedRequest[]> {
    return this.db.rows<ClaimedRequest>(
      sql`SELECT * FROM app_certificate_request_claim(${limit}, ${leaseMs})`,
      { unscoped: true },
    );
  }

  async done(issuanceId: string): Promise<void> {
    await this.db.run(sql`DELETE FROM certificate_request WHERE issuance_id = ${issuanceId}`);
  }

  async retryLater(issuanceId: string, delayMs: number, error: string): Promise<void> {
    await this.db.run(sql`
      UPDATE certificate_request SET next_attempt_at = now() + ${seconds(delayMs)}, last_error = ${error}
       WHERE issuance_id = ${issuanceId}`);
  }

  async backlog(): Promise<number> {
    // Every company's requests: a gauge of the deployment.
    const [row] = await this.db.rows<{ n: string }>(
      sql`SELECT app_certificate_request_backlog()::text AS n`,
      { unscoped: true },
    );
    return Number(row?.n ?? 0);
  }

  /**
   * The issuance's number, or a new one: the class counter is raised by an upsert and the
   * assignment inserted in the same statement, so a failure returns the number (gap-free). The
   * number is the prefix, a dash and the sequence padded to `digits`. The upsert's row lock queues
   * concurrent numberings of the class until commit; a concurrent numbering of the same issuance
   * fails on the assignment's primary key (the caller runs the statement again and finds it).
   */
  async assignNumber(
    issuanceId: string,
    shareClassId: string,
    prefix: string,
    digits: number,
  ): Promise<string | undefined> {
    const [row] = await this.db.rows<{ certificate_number: string }>(
      sql`
      WITH known AS (
        SELECT certificate_number FROM certificate_assignment WHERE issuance_id = ${issuanceId}::uuid
      ), counted AS (
        INSERT INTO certificate_counter AS c (share_class_id, last_sequence)
        SELECT ${shareClassId}::uuid, 1 WHERE NOT EXISTS (SELECT 1 FROM known)
        ON CONFLICT (company_id, share_class_id) DO UPDATE SET last_sequence = c.last_sequence + 1
        RETURNING c.last_sequence
      ), assigned AS (
        INSERT INTO certificate_assignment (issuance_id, share_class_id, sequence, certificate_number)
        SELECT ${issuanceId}::uuid, ${shareClassId}::uuid, last_sequence,
               ${prefix}::text || '-' || lpad(last_sequence::text, greatest(${digits}::int, length(last_sequence::text)), '0')
          FROM counted
        RETURNING certificate_number
      )
      SELECT certificate_number FROM known
      UNION ALL
      SELECT certificate_number FROM assigned`,
      { name: 'certificate_assign' },
    );
    return row?.certificate_number;
  }

  /**
   * Gives the issuance `number` as it came (an imported security's own), in one statement: its
   * number if it has one already, undefined when another certificate of the company has `number`
   * (or the class's `sequence`), and the number given otherwise. A number in the class's own form
   * takes its `sequence` and moves the class's counter up to it. The unique indexes are the
   * backstop against a concurrent numbering: the caller falls back to the class's numbering.
   */
  async assignCustomNumber(
    issuanceId: string,
    shareClassId: string,
    number: string,
    sequence: number | null,
  ): Promise<string | undefined> {
    const [row] = await this.db.rows<{ certificate_number: string }>(
      sql`
      WITH known AS (
        SELECT certificate_number FROM certificate_assignment WHERE issuance_id = ${issuanceId}::uuid
      ), assigned AS (
        INSERT INTO certificate_assignment (issuance_id, share_class_id, sequence, certificate_number)
        SELECT ${issuanceId}::uuid, ${shareClassId}::uuid, ${sequence}::bigint, ${number}::text
         WHERE NOT EXISTS (SELECT 1 FROM known)
           AND NOT EXISTS (SELECT 1 FROM certificate_assignment a
                            WHERE a.certificate_number = ${number}::text
                               OR (a.share_class_id = ${shareClassId}::uuid AND a.sequence = ${sequence}::bigint))
        RETURNING certificate_number, sequence
      ), counted AS (
        INSERT INTO certificate_counter AS c (share_class_id, last_sequence)
        SELECT ${shareClassId}::uuid, sequence FROM assigned WHERE sequence IS NOT NULL
        ON CONFLICT (company_id, share_class_id)
        DO UPDATE SET last_sequence = greatest(c.last_sequence, excluded.last_sequence)
      )
      SELECT certificate_number FROM known
      UNION ALL
      SELECT certificate_number FROM assigned`,
      { name: 'certificate_assign_custom' },
    );
    return row?.certificate_number;
  }
}
