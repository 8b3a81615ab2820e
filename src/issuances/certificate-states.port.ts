import type { Sql } from '../core/db/database.service';

/**
 * What the ledger's reconciliation reads of certificates, without naming the certificates
 * module's tables (that module provides it, as it does CERTIFICATE_NUMBERS): a relation
 * `(issuance_id, active int, pending boolean)`, one row per issuance that has a certificate or a
 * pending render, where `active` counts its active certificate versions.
 */
export interface CertificateStateRelation {
  readonly relation: Sql;
}

export const CERTIFICATE_STATES = Symbol('CertificateStateRelation');
