import type { Sql } from '../core/db/database.service';

/**
 * Where the issuances module reads an issuance's certificate number from. The certificates module
 * owns the numbers and provides this port (it depends on issuances, so issuances cannot import it):
 * a relation `(issuance_id, certificate_number)` that the issuance statements LEFT JOIN, so a read
 * stays one statement without naming the certificates module's tables.
 */
export interface CertificateNumberRelation {
  readonly relation: Sql;
}

export const CERTIFICATE_NUMBERS = Symbol('CertificateNumberRelation');
