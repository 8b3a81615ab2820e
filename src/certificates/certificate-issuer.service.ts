import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { ActionContext } from '../core/http/action-context';
import { EventOrigin, originOf, OutboxService } from '../events';
import { IssuanceFacts, IssuanceFactsService } from '../issuances';
import { CertificateDocument, CertificateDocumentService } from './certificate-document.service';
import { Certificate, CertificateStatus } from './certificate.entity';
import { CertificateNumberingService } from './certificate-numbering.service';
import { certificateSnapshot } from './certificate-views';
import {
  CertificateNotFoundError,
  CertificateSupersededError,
  CertificateCancelledError,
  CertificateVoidError,
} from './certificates.errors';
import { CertificatesRepository } from './persistence/certificates.repository';

/** The consumer name under which the certificates module records handled events. */
export const CERTIFICATE_CONSUMER = 'certificates.render';

/** What a first render states: the issuance's facts (read once) and its number (given once). */
export interface FirstRender {
  facts: IssuanceFacts;
  certificateNumber: string;
}

type Chain = Pick<Certificate, 'version' | 'supersedesId' | 'reason'>;

/**
 * Everything that creates or changes certificates. Each write is one transaction (or statement)
 * holding the certificate row(s) and the outbox event. PDFs are rendered before it, so no lock is
 * held while Chromium works.
 */
@Injectable()
export class CertificateIssuer {
  /** First renders under way in this process, by issuance: concurrent callers share one. */
  private readonly inflight = new Map<string, Promise<Certificate>>();

  constructor(
    private readonly repository: CertificatesRepository,
    private readonly facts: IssuanceFactsService,
    private readonly numbering: CertificateNumberingService,
    private readonly documents: CertificateDocumentService,
    private readonly outbox: OutboxService,
  ) {}

  /**
   * The issuance's current certificate, rendering and storing version 1 if it has none. Safe to
   * call any number of times, concurrently and from several instances: one certificate, one
   * number. `prepared`: the facts and number a caller already holds (read once per render).
   */
  async ensureForIssuance(
    issuanceId: string,
    origin: ActionContext | EventOrigin,
    prepared?: FirstRender,
  ): Promise<Certificate> {
    const existing = await this.current(issuanceId);
    const reinstated = existing && (await this.reinstatable(existing));
    if (existing && !reinstated) return existing;
    let pending = this.inflight.get(issuanceId);
    if (!pending) {
      pending = this.generate(issuanceId, origin, prepared, existing ?? undefined).finally(() =>
        this.inflight.delete(issuanceId),
      );
      this.inflight.set(issuanceId, pending);
    }
    return pending;
  }

  /**
   * Reads the issuance's facts and assigns its number (idempotent), so a caller rendering several
   * certificates side by side can number them in its own order first, then render each with them.
   */
  async prepare(issuanceId: string): Promise<FirstRender> {
    const facts = await this.facts.factsFor(issuanceId);
    if (facts.status !== 'OUTSTANDING') throw spentBeforeCertified(issuanceId);
    return { facts, certificateNumber: await this.numbering.assign(facts) };
  }

  /** A new version with a fresh PDF (same number, version + 1); the previous one is superseded. */
  async reissue(id: string, reason: string, context: ActionContext): Promise<Certificate> {
    const previous = await this.require(undefined, id);
    assertActive(previous);
    const facts = await this.facts.factsFor(previous.issuanceId);
    const number = previous.certificateNumber;
    const document = await this.documents.render(facts, number, previous.version + 1);
    return this.repository.transaction(async (tx) => {
      const locked = await this.require(tx, id, true);
      assertActive(locked);
      await this.repository.update(tx, id, {
        status: CertificateStatus.Superseded,
        supersededAt: new Date(),
      });
      const next = this.build(facts, locked.certificateNumber, document, context, {
        version: locked.version + 1,
        supersedesId: locked.id,
        reason,
      });
      await this.repository.insert(tx, next);
      await this.outbox.publish(tx, changed('certificate.reissued', locked, next), context);
      return this.require(tx, next.id);
    });
  }

  /** Voids the active version; it stays stored and downloadable, and verification reports it. */
  async voidCertificate(id: string, reason: string, context: ActionContext): Promise<Certificate> {
    return this.repository.transaction(async (tx) => {
      const locked = await this.require(tx, id, true);
      assertActive(locked);
      const { actor } = originOf(context);
      await this.repository.update(tx, id, {
        status: CertificateStatus.Void,
        voidedAt: new Date(),
        voidedBy: actor.name,
        voidReason: reason,
      });
      const voided = await this.require(tx, id);
      await this.outbox.publish(tx, changed('certificate.voided', locked, voided), context);
      return voided;
    });
  }

  /** The latest version of an issuance's certificate (active, or void), if any. */
  current(issuanceId: string): Promise<Certificate | null> {
    return this.repository.current(issuanceId);
  }

  /**
   * A cancelled certificate whose security is outstanding again (the transaction that spent it
   * was reversed) is followed by a new version.
   */
  private async reinstatable(latest: Certificate): Promise<boolean> {
    if (latest.status !== CertificateStatus.Cancelled) return false;
    return (await this.facts.factsFor(latest.issuanceId)).status === 'OUTSTANDING';
  }

  /** Version 1, or (`previous`: the cancelled version of a reinstated security) the next one. */
  private async generate(
    issuanceId: string,
    origin: ActionContext | EventOrigin,
    prepared?: FirstRender,
    previous?: Certificate,
  ): Promise<Certificate> {
    const { facts, certificateNumber } = prepared ?? (await this.prepare(issuanceId));
    const number = previous?.certificateNumber ?? certificateNumber;
    const version = previous ? previous.version + 1 : 1;
    const document = await this.documents.render(facts, number, version);
    const certificate = this.build(facts, number, document, origin, {
      version,
      supersedesId: previous?.id ?? null,
      reason: previous
        ? `Reinstated: the ledger transaction that spent the security was reversed (version ${previous.version} stays cancelled).`
        : null,
    });
    const event = {
      type: 'certificate.generated' as const,
      aggregateType: 'certificate',
      aggregateId: certificate.id,
      payload: { before: null, after: certificateSnapshot(certificate) },
    };
    const createdAt = await this.repository.transaction(async (tx) => {
      const { result } = await this.outbox.publishWithin(tx, event, origin, (insertEvent) =>
        this.repository.insertFirst(tx, certificate, insertEvent),
      );
      return result;
    });
    if (!createdAt) {
      // Another render of this issuance (here or on another instance) stored version 1 first,
      // or a ledger transaction spent the security before it had a certificate.
      const winner = await this.current(issuanceId);
      if (!winner) throw spentBeforeCertified(issuanceId);
      return winner;
    }
    // The PDF stays attached, so the caller that asked for it is answered without reading it back.
    certificate.createdAt = createdAt;
    return certificate;
  }

  private build(
    facts: IssuanceFacts,
    certificateNumber: string,
    document: CertificateDocument,
    origin: ActionContext | EventOrigin,
    chain: Chain,
  ): Certificate {
    const { actor, requestId } = originOf(origin);
    return this.repository.create({
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
      ...documentFields(document),
      createdBySub: actor.sub,
      createdBy: actor.name,
      requestId,
      supersededAt: null,
      voidedAt: null,
      voidedBy: null,
      voidReason: null,
      cancelledAt: null,
      cancellationReason: null,
    });
  }

  private async require(
    tx: EntityManager | undefined,
    id: string,
    lock = false,
  ): Promise<Certificate> {
    const certificate = await this.repository.find(tx, id, lock);
    if (!certificate) throw new CertificateNotFoundError(`Certificate ${id} does not exist.`);
    return certificate;
  }
}

function documentFields(document: CertificateDocument): Partial<Certificate> {
  return {
    verificationCode: document.verificationCode,
    specimen: document.specimen,
    content: document.content,
    sizeBytes: document.sizeBytes,
    sha256: document.sha256,
  };
}

function changed(
  type: 'certificate.reissued' | 'certificate.voided',
  before: Certificate,
  after: Certificate,
) {
  return {
    type,
    aggregateType: 'certificate',
    aggregateId: after.id,
    payload: { before: certificateSnapshot(before), after: certificateSnapshot(after) },
  };
}

/** A security spent before its certificate was rendered never gets a valid one. */
function spentBeforeCertified(issuanceId: string): CertificateCancelledError {
  return new CertificateCancelledError(
    `Security ${issuanceId} was spent by a ledger transaction before its certificate was rendered; it has no valid certificate. See its lineage for the securities that came from it.`,
  );
}

function assertActive(certificate: Certificate): void {
  switch (certificate.status) {
    case CertificateStatus.Active:
      return;
    case CertificateStatus.Cancelled:
      throw new CertificateCancelledError(
        `Certificate ${certificate.certificateNumber} version ${certificate.version} is cancelled: ${certificate.cancellationReason ?? 'its security was spent'}.`,
      );
    case CertificateStatus.Void:
      throw new CertificateVoidError(certificate.certificateNumber, certificate.version);
    case CertificateStatus.Superseded:
      throw new CertificateSupersededError(certificate.certificateNumber, certificate.version);
  }
}
