import { shareCount } from '../core/money/money';
import { percentagesOfCounts } from './cap-table.math';
import type { Dilution } from './dilution.port';
import type { CapTableDto, CapTableRowDto } from './dto/cap-table.dto';

/**
 * The fully diluted table: every holder row also shows their outstanding options and RSUs, and
 * its fully diluted shares and percentage; holders with grants only get a row of their own (no
 * holdings); each plan's available pool is a row of `pool`. The fully diluted percentages, the
 * pool's included, add up to exactly 100 (largest remainders, as the other percentages).
 */
export function fullyDiluted(table: CapTableDto, dilution: Dilution): CapTableDto {
  const rows = rowsWithGrants(table.holders, dilution);
  const diluted = rows.map((row) => row.total_shares + (row.options_and_rsus ?? 0));
  const pools = dilution.pools.map((p) => shareCount(String(p.available)));
  const available = pools.reduce((sum, n) => sum + n, 0);
  const percentages = percentagesOfCounts([...diluted, available]);
  return {
    ...table,
    basis: 'fully_diluted',
    holders: rows.map((row, i) => ({
      ...row,
      fully_diluted_shares: diluted[i] ?? 0,
      fully_diluted_pct: percentages[i] ?? '0.0000',
    })),
    pool: {
      available_shares: available,
      fully_diluted_pct: percentages[rows.length] ?? '0.0000',
      plans: dilution.pools.map((p, i) => ({
        stock_plan_id: p.stockPlanId,
        name: p.name,
        available_shares: pools[i] ?? 0,
      })),
    },
    ...(table.totals
      ? {
          totals: {
            ...table.totals,
            options_and_rsus: rows.reduce((sum, row) => sum + (row.options_and_rsus ?? 0), 0),
            fully_diluted_shares: diluted.reduce((sum, n) => sum + n, 0) + available,
          },
        }
      : {}),
  };
}

/** The table's rows with each holder's grants, and a row for each holder of grants only. */
function rowsWithGrants(holders: readonly CapTableRowDto[], dilution: Dilution): CapTableRowDto[] {
  const options = new Map(dilution.holders.map((h) => [h.shareholderId, h]));
  const rows: CapTableRowDto[] = holders.map((row) => ({
    ...row,
    options_and_rsus: shareCount(String(options.get(row.shareholder_id)?.options ?? 0n)),
  }));
  const shown = new Set(rows.map((row) => row.shareholder_id));
  for (const holder of dilution.holders)
    if (!shown.has(holder.shareholderId))
      rows.push({
        shareholder_id: holder.shareholderId,
        name: holder.name,
        holdings: [],
        total_shares: 0,
        votes: 0,
        ownership_pct: '0.0000',
        voting_pct: '0.0000',
        options_and_rsus: shareCount(String(holder.options)),
      });
  return rows;
}
