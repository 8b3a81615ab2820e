import { DatabaseError } from 'pg';
import type { DataSource } from 'typeorm';
import { Database, sql } from './database.service';

describe('Database on the pool', () => {
  it('logs a failed statement through the data source logger, without its values, and rethrows', async () => {
    const failure = Object.assign(new DatabaseError('duplicate key value', 0, 'error'), {
      code: '23505',
    });
    const logQueryError = jest.fn();
    const dataSource = {
      subscribers: [],
      driver: { master: { query: jest.fn().mockRejectedValue(failure) } },
      logger: { logQueryError },
    } as unknown as DataSource;
    const db = new Database(dataSource);
    const email = 'ada@example.com';
    const statement = sql`UPDATE holder SET email = ${email}`;

    await expect(db.run(statement)).rejects.toBe(failure);
    expect(logQueryError).toHaveBeenCalledTimes(1);
    expect(logQueryError.mock.calls[0]).toEqual([failure, statement.text]);
    expect(JSON.stringify(logQueryError.mock.calls[0])).not.toContain(email);
  });
});
