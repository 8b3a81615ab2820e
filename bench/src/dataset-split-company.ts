/**
 * The company of the `split` phase, beside the others so that its split disturbs no other
 * figure: one Common class held by `holders` holders, one outstanding security each (with its
 * certificate, as in a running deployment), shaped like a small company (`dataset-companies.ts`)
 * and drawn from a random source of its own. Created after the small companies, so the big
 * company stays the deployment's first.
 */
import type { Client } from 'pg';
import type { EventActor } from '../../src/events';
import { loadCertificates } from './dataset-certificates';
import { firstCompanyCreatedMs, rngOf, TableLoad } from './dataset-common';
import { copyCompanies, copyHolders, copyIssuances, smallCompanyOf } from './dataset-companies';
import type { Calendar } from './dataset-ledger';

const SPLIT_COMPANY_SEED = 20_260_404;

export interface SplitCompany {
  id: string;
  classId: string;
  holders: number;
}

/** Loads the split company; `after` companies were created after the first one before it. */
export async function loadSplitCompany(
  client: Client,
  loads: TableLoad[],
  holders: number,
  after: number,
  calendar: Calendar,
  admin: EventActor,
): Promise<SplitCompany | undefined> {
  if (holders === 0) return undefined;
  const rng = rngOf(SPLIT_COMPANY_SEED);
  const createdAt = new Date((await firstCompanyCreatedMs(client)) + 2 + after);
  const company = {
    ...smallCompanyOf(rng, createdAt, holders, calendar),
    legalName: 'Benchmark Split Holdings AG',
  };
  const label = 'split company';
  await copyCompanies(client, loads, [company], label);
  await copyHolders(client, loads, [company], admin, label);
  await copyIssuances(client, loads, [company], admin, label);
  await loadCertificates(client, loads, { id: company.id, label }, [], admin);
  return { id: company.id, classId: company.classId, holders };
}
