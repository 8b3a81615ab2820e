import { checkpointPageSql } from './audit-checkpoints.repository';

const squash = (text: string) => text.replace(/\s+/g, ' ');

describe('checkpointPageSql', () => {
  it('orders by the bigint column, not by its text (which would put 9 after 10)', () => {
    const { text, values } = checkpointPageSql('desc', 1);
    expect(squash(text)).toBe(
      'SELECT c.seq::text AS seq, c.hash, c.recorded_at, c.key_id, c.signature, c.payload' +
        ' FROM audit_checkpoint c ORDER BY c.seq DESC LIMIT 1',
    );
    expect(values).toEqual([]);
  });

  it('continues strictly beyond a cursor, in either direction, the cursor a parameter', () => {
    expect(squash(checkpointPageSql('asc', 51, '10').text)).toMatch(
      /FROM audit_checkpoint c WHERE c\.seq > \$1::bigint ORDER BY c\.seq ASC LIMIT 51$/,
    );
    const { text, values } = checkpointPageSql('desc', 5, '10');
    expect(squash(text)).toMatch(/WHERE c\.seq < \$1::bigint ORDER BY c\.seq DESC LIMIT 5$/);
    expect(values).toEqual(['10']);
  });

  it('refuses a limit that is not a positive whole number', () => {
    for (const limit of [0, -1, 1.5, Number.NaN]) {
      expect(() => checkpointPageSql('asc', limit)).toThrow(/page limit/);
    }
  });
});
