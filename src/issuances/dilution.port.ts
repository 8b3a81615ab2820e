/**
 * What dilutes the cap table beyond the shares outstanding: grants of options and RSUs not yet
 * exercised, released, cancelled or expired, per holder, and each plan's pool still available.
 * The equity-plans module provides it (it reads its own tables); without it the fully diluted
 * basis equals the outstanding one.
 */
export const DILUTION = Symbol('DILUTION');

export interface DilutionHolder {
  shareholderId: string;
  name: string;
  options: bigint;
}

export interface DilutionPool {
  stockPlanId: string;
  name: string;
  available: bigint;
}

export interface Dilution {
  holders: DilutionHolder[];
  pools: DilutionPool[];
}

export interface DilutionSource {
  /** At the end of `asOf`, computed only from what was recorded by `knownAt` when given. */
  dilutionAsOf(asOf: string, knownAt?: string): Promise<Dilution>;
}
