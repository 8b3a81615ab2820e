import { Api, unique } from './api';
import { ledgerHelpers } from './ledger';

export interface CapTableRow {
  shareholder_id: string;
  total_shares: number;
  holdings: Array<{ share_class_id: string; shares: number }>;
  options_and_rsus?: number;
  fully_diluted_shares?: number;
}

export interface CapTable {
  holders: CapTableRow[];
  totals: { issued_shares: number; options_and_rsus?: number; fully_diluted_shares?: number };
  pool?: { available_shares: number };
}

export interface PlanFigures {
  granted: number;
  outstanding: number;
  exercised: number;
  returned: number;
  available: number;
}

/**
 * A company of its own with a Common class (certificate prefix `prefix`), a founder holding
 * 1,000 shares, a plan of `reserved` shares returning to its pool, and a grantee; with calls to
 * its cap table and plan.
 */
export async function givenEquityCompany(
  api: Api,
  label: string,
  { prefix, reserved }: { prefix: string; reserved: number },
) {
  const company = await ledgerHelpers(api).inNewCompany(unique(label));
  const { post } = company;
  const common = await post('/share-classes/', {
    name: 'Common',
    type: 'COMMON',
    authorized_shares: 1_000_000,
    par_value: '0.01',
    votes_per_share: 1,
    certificate_prefix: prefix,
  });
  const person = (n: string) =>
    post('/shareholders/', { name: n, email: `${unique(n).toLowerCase()}@example.com` });
  const [founder, grantee] = [await person('Founder'), await person('Grantee')];
  await post('/issuances/', {
    shareholder_id: founder.id,
    share_class_id: common.id,
    number_of_shares: 1000,
    price: '1',
    date: '2024-01-01',
  });
  const plan = await post('/stock-plans/', {
    name: 'Plan',
    share_class_id: common.id,
    initial_shares_reserved: reserved,
    default_cancellation_behavior: 'RETURN_TO_POOL',
  });
  const table = async (query = ''): Promise<CapTable> =>
    (await api.get(company.at(`/cap-table${query}`))).body as CapTable;
  const planNow = async (): Promise<PlanFigures> =>
    (await api.get(company.at(`/stock-plans/${plan.id as string}`))).body as PlanFigures;
  const rowOf = (t: CapTable, id: string) => t.holders.find((h) => h.shareholder_id === id);
  return { ...company, common, founder, grantee, plan, table, planNow, rowOf };
}
