import { Api, givenShareClass, givenShareholder } from './api';
import { db } from './db';

/** A security as GET /api/issuances/{id} shows it. */
export interface Security {
  id: string;
  shareholder_id: string;
  share_class_id: string;
  number_of_shares: number;
  price: string;
  total_amount: string;
  status: string;
  spent_by_transaction_id: string | null;
  origin_transaction_id: string | null;
  derived_security_ids: string[];
}

/** The ledger tests' helpers, calling the app as `api`. */
export function ledgerHelpers(api: Api) {
  /** A fresh class and holders, so that each test's positions are its own. */
  async function given(holders = 3, authorized = 1_000_000) {
    const shareClass = await givenShareClass(api, { authorized_shares: authorized });
    const people = await Promise.all(Array.from({ length: holders }, () => givenShareholder(api)));
    return { shareClass, people };
  }

  /** The outstanding shares of a class per holder, as the cap table shows them. */
  async function positions(shareClassId: string, query = ''): Promise<Record<string, number>> {
    const table = await api.get(`/api/cap-table${query ? `?${query}` : ''}`, 'auditor');
    expect(table.status).toBe(200);
    const result: Record<string, number> = {};
    for (const holder of table.body.holders as Array<{
      shareholder_id: string;
      holdings: Array<{ share_class_id: string; shares: number }>;
    }>) {
      const holding = holder.holdings.find((h) => h.share_class_id === shareClassId);
      if (holding) result[holder.shareholder_id] = holding.shares;
    }
    return result;
  }

  /** A company of its own (the admin is a platform admin), and calls scoped to it. */
  async function inNewCompany(legalName: string) {
    const created = await api.post('/api/companies/', {
      legal_name: legalName,
      country: 'GB',
      formation_date: '2020-01-01',
      default_currency: 'EUR',
    });
    expect(created.status).toBe(201);
    const at = (path: string) => `/api/companies/${created.body.id as string}${path}`;
    const post = async (path: string, body: object) => {
      const response = await api.post(at(path), body);
      if (response.status !== 201)
        throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
      return response.body;
    };
    return { id: created.body.id as string, at, post };
  }

  return { given, positions, inNewCompany };
}

/** Every version of an issuance's certificate, latest first. */
export async function certificatesOf(issuanceId: string) {
  const { rows } = await db().query<{
    id: string;
    version: number;
    status: string;
    certificate_number: string;
    supersedes_id: string | null;
    cancellation_reason: string | null;
  }>(
    `SELECT id, version, status, certificate_number, supersedes_id, cancellation_reason
       FROM certificate WHERE issuance_id = $1 ORDER BY version DESC`,
    [issuanceId],
  );
  return rows;
}
