/** How many rows an export reads at a time. */
export const EXPORT_PAGE = 2_000;

/**
 * Rows read page by page in the order of the id an export gives them (`coalesce(ocf_id, id)`):
 * `read(after)` answers the next page of rows whose id comes after `after` in that order ('' for
 * the first), at most EXPORT_PAGE of them. Ends at the first empty page.
 */
export async function* exportPages<Row extends { id: string; ocf_id: string | null }>(
  read: (after: string) => Promise<Row[]>,
): AsyncGenerator<Row[]> {
  for (let after = ''; ;) {
    const rows = await read(after);
    if (rows.length === 0) return;
    yield rows;
    const last = rows[rows.length - 1];
    after = last.ocf_id ?? last.id;
  }
}
