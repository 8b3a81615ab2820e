import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { ActionContext } from '../core/http/action-context';
import { plainQuery } from '../core/db/plain-query';
import {
  EventOrigin,
  originOf,
  OUTBOX_INSERT_COLUMNS,
  OutboxService,
} from '../events/outbox.service';
import { IssuanceFacts, IssuanceFactsService } from '../issuances/issuance-facts.service';
import { CertificateDocument, CertificateDocumentService } from './certificate-document.service';
import { Certificate, CertificateStatus } from './certificate.entity';
import { CertificateNumberingService } from './certificate-numbering.service';
import { certificateSnapshot } from './certificate-views';
import {
  CertificateNotFoundError,
  CertificateSupersededError,
  CertificateVoidError,
} from './certificates.errors';

/**
 * Version 1 of an issuance's certificate, the issuance's certificate number (the one column of
 * the ledger the certificates module annotates) and the certificate.generated event, in one
 * statement. A certificate already stored for the issuance
 * (a concurrent first render that won: the unique indexes on issuance and version) makes it write
 * nothing and return no row.
 */
const GENERATE_SQL = `
  WITH inserted AS (
    INSERT INTO certificate (id, issuance_id, shareholder_id, share_class_id, certificate_number,
                             version, supersedes_id, reason, status, share_class_name,
                             number_of_shares, issue_date, verification_code, specimen, content,
                             size_bytes, sha256, created_by_sub, created_by, request_id)
    VALUES ($1, $2, $3, $4, $5, 1, NULL, NULL, '${CertificateStatus.Active}', $6, $7, $8, $9, $10,
            $11, $12, $13, $14, $15, $16)
    ON CONFLICT DO NOTHING
    RETURNING issuance_id, certificate_number, created_at
  ), numbered AS (
    UPDATE issuance i SET certificate_number = inserted.certificate_number
      FROM inserted WHERE i.id = inserted.issuance_id
  ), published AS (
    INSERT INTO outbox_event (${OUTBOX_INSERT_COLUMNS})
    SELECT $17, $18, $19, $20, $21::jsonb, $22::jsonb, $23, $24 FROM inserted
  )
  SELECT created_at FROM inserted`;

/** The consumer name under which the certificates module records handled events. */
export const CERTIFICATE_CONSUMER = 'certificates.render';

/**
 * Everything that creates or changes certificates. Each write is one transaction holding the
 * certificate row(s), the issuance's certificate number and the outbox event. PDFs are rendered
 * before that transaction, so no lock is held while Chromium works.
 */
@Injectable()
export class CertificateIssuer {
  /** First renders under way in this process, by issuance: concurrent callers share one. */
  private readonly inflight = new Map<string, Promise<Certificate>>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly facts: IssuanceFactsService,
    private readonly numbering: CertificateNumberingService,
    private readonly documents: CertificateDocumentService,
    private readonly outbox: OutboxService,
  ) {}

  /**
   * The issuance's current certificate, rendering and storing version 1 if it has none. Safe to
   * call any number of times, concurrently and from several instances: one certificate, one
   * number.
   */
  async ensureForIssuance(
    issuanceId: string,
    origin: ActionContext | EventOrigin,
  ): Promise<Certificate> {
    const existing = await this.current(this.dataSource.manager, issuanceId);
    if (existing) return existing;
    let pending = this.inflight.get(issuanceId);
    if (!pending) {
      pending = this.generate(issuanceId, origin).finally(() => this.inflight.delete(issuanceId));
      this.inflight.set(issuanceId, pending);
    }
    return pending;
  }

  /**
   * Assigns the issuance's certificate number now (idempotent), so a caller rendering several
   * certificates side by side can number them in its own order first.
   */
  async reserveNumber(issuanceId: string): Promise<string> {
    return this.numbering.assign(await this.facts.factsFor(issuanceId));
  }

  /** A new version with a fresh PDF (same number, version + 1); the previous one is superseded. */
  async reissue(id: string, reason: string, context: ActionContext): Promise<Certificate> {
    const previous = await this.require(this.dataSource.manager, id);
    assertActive(previous);
    const facts = await this.facts.factsFor(previous.issuanceId);
    const document = await this.documents.render(
      facts,
      previous.certificateNumber,
      previous.version + 1,
    );
    return this.dataSource.transaction(async (tx) => {
      const locked = await this.require(tx, id, true);
      assertActive(locked);
      const supersededAt = new Date();
      await tx.update(Certificate, { id }, { status: CertificateStatus.Superseded, supersededAt });
      const next = this.build(facts, locked.certificateNumber, document, context, {
        version: locked.version + 1,
        supersedesId: locked.id,
        reason,
      });
      await tx.insert(Certificate, next);
      await this.outbox.publish(
        tx,
        {
          type: 'certificate.reissued',
          aggregateType: 'certificate',
          aggregateId: next.id,
          payload: { before: certificateSnapshot(locked), after: certificateSnapshot(next) },
        },
        context,
      );
      return this.require(tx, next.id);
    });
  }

  /** Voids the active version; it stays stored and downloadable, and verification reports it. */
  async voidCertificate(id: string, reason: string, context: ActionContext): Promise<Certificate> {
    return this.dataSource.transaction(async (tx) => {
      const locked = await this.require(tx, id, true);
      assertActive(locked);
      const { actor } = originOf(context);
      await tx.update(
        Certificate,
        { id },
        {
          status: CertificateStatus.Void,
          voidedAt: new Date(),
          voidedBy: actor.name,
          voidReason: reason,
        },
      );
      const voided = await this.require(tx, id);
      await this.outbox.publish(
        tx,
        {
          type: 'certificate.voided',
          aggregateType: 'certificate',
          aggregateId: id,
          payload: { before: certificateSnapshot(locked), after: certificateSnapshot(voided) },
        },
        context,
      );
      return voided;
    });
  }

  /** The latest version of an issuance's certificate (active, or void), if any. */
  current(manager: EntityManager, issuanceId: string): Promise<Certificate | null> {
    return manager.findOne(Certificate, { where: { issuanceId }, order: { version: 'DESC' } });
  }

  private async generate(
    issuanceId: string,
    origin: ActionContext | EventOrigin,
  ): Promise<Certificate> {
    const facts = await this.facts.factsFor(issuanceId);
    const certificateNumber = await this.numbering.assign(facts);
    const document = await this.documents.render(facts, certificateNumber, 1);
    const certificate = this.build(facts, certificateNumber, document, origin, {
      version: 1,
      supersedesId: null,
      reason: null,
    });
    const event = this.outbox.values(
      {
        type: 'certificate.generated',
        aggregateType: 'certificate',
        aggregateId: certificate.id,
        payload: { before: null, after: certificateSnapshot(certificate) },
      },
      origin,
    );
    const [stored] = await plainQuery<{ created_at: Date }>(
      this.dataSource,
      GENERATE_SQL,
      [
        certificate.id,
        certificate.issuanceId,
        certificate.shareholderId,
        certificate.shareClassId,
        certificate.certificateNumber,
        certificate.shareClassName,
        certificate.numberOfShares,
        certificate.issueDate,
        certificate.verificationCode,
        certificate.specimen,
        certificate.content,
        certificate.sizeBytes,
        certificate.sha256,
        certificate.createdBySub,
        certificate.createdBy,
        certificate.requestId,
        ...event.values,
      ],
      'certificate_generate',
    );
    if (!stored) {
      // Another render of this issuance (here or on another instance) stored version 1 first.
      const winner = await this.current(this.dataSource.manager, issuanceId);
      if (!winner) throw new Error(`the certificate of issuance ${issuanceId} was not stored`);
      return winner;
    }
    this.outbox.committed();
    // The PDF stays attached, so the caller that asked for it is answered without reading it back.
    certificate.createdAt = stored.created_at;
    return certificate;
  }

  private build(
    facts: IssuanceFacts,
    certificateNumber: string,
    document: CertificateDocument,
    origin: ActionContext | EventOrigin,
    chain: Pick<Certificate, 'version' | 'supersedesId' | 'reason'>,
  ): Certificate {
    const { actor, requestId } = originOf(origin);
    return this.dataSource.manager.create(Certificate, {
      id: randomUUID(),
      issuanceId: facts.issuanceId,
      shareholderId: facts.shareholderId,
      shareClassId: facts.shareClassId,
      certificateNumber,
      ...chain,
      status: CertificateStatus.Active,
      shareClassName: facts.shareClassName,
      numberOfShares: String(facts.numberOfShares),
      issueDate: facts.issueDate,
      verificationCode: document.verificationCode,
      specimen: document.specimen,
      content: document.content,
      sizeBytes: document.sizeBytes,
      sha256: document.sha256,
      createdBySub: actor.sub,
      createdBy: actor.name,
      requestId,
      supersededAt: null,
      voidedAt: null,
      voidedBy: null,
      voidReason: null,
    });
  }

  private async require(manager: EntityManager, id: string, lock = false): Promise<Certificate> {
    const certificate = await manager.findOne(Certificate, {
      where: { id },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!certificate) throw new CertificateNotFoundError(`Certificate ${id} does not exist.`);
    return certificate;
  }
}

function assertActive(certificate: Certificate): void {
  switch (certificate.status) {
    case CertificateStatus.Active:
      return;
    case CertificateStatus.Void:
      throw new CertificateVoidError(certificate.certificateNumber, certificate.version);
    case CertificateStatus.Superseded:
      throw new CertificateSupersededError(certificate.certificateNumber, certificate.version);
  }
}
