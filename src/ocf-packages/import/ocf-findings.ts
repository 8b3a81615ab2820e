import { DomainError, type FieldError } from '../../core/errors/domain-error';

/** One finding about a package: where (file and JSON pointer), which object, and what. */
export interface OcfFinding {
  file: string;
  pointer: string;
  id?: string;
  message: string;
}

/** A finding as a problem's `errors[]` entry: the finding, and `field`/`messages` as every entry. */
export type OcfProblemEntry = FieldError & OcfFinding;

export const problemEntry = (finding: OcfFinding): OcfProblemEntry => ({
  field: `${finding.file}#${finding.pointer}`,
  messages: [finding.message],
  ...finding,
});

/** The package cannot be imported as it is: every finding, nothing written. */
export class OcfPackageInvalidError extends DomainError {
  constructor(
    readonly findings: OcfFinding[],
    detail = `The package cannot be imported: ${findings.length} problem(s), listed in errors. Nothing was written.`,
  ) {
    super('OCF_PACKAGE_INVALID', detail, { errors: findings.map(problemEntry) });
  }
}

/** The package holds object types this service does not model (and skip_unsupported was not set). */
export class OcfUnsupportedObjectsError extends DomainError {
  constructor(readonly findings: OcfFinding[]) {
    super(
      'OCF_UNSUPPORTED_OBJECTS',
      `The package holds ${findings.length} object(s) of types this service does not model yet, listed in errors. Import with ?skip_unsupported=true to import the rest and skip them.`,
      { errors: findings.map(problemEntry) },
    );
  }
}

export class LedgerNotEmptyError extends DomainError {
  constructor() {
    super(
      'LEDGER_NOT_EMPTY',
      'A package is imported into a company whose ledger is empty: this company already holds shareholders, share classes, securities or plans.',
    );
  }
}
