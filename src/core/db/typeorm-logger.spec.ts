import { Writable } from 'node:stream';
import { DatabaseError } from 'pg';
import { pino } from 'pino';
import { baseLogOptions } from '../logging/log-options';
import { PinoTypeOrmLogger } from './typeorm-logger';

const EMAIL = 'ada.lovelace@example.com';
const NAME = 'Ada Lovelace';
const INSERT = 'INSERT INTO "shareholder"("id", "name", "email") VALUES ($1, $2, $3)';

/** A server error as pg raises it, with the fields PostgreSQL sends. */
function serverError(message: string, fields: Partial<DatabaseError>): DatabaseError {
  return Object.assign(new DatabaseError(message, 0, 'error'), fields);
}

const uniqueViolation = () =>
  serverError('duplicate key value violates unique constraint "uq_shareholder_email_lower"', {
    code: '23505',
    severity: 'ERROR',
    constraint: 'uq_shareholder_email_lower',
    table: 'shareholder',
    schema: 'public',
    detail: `Key (lower(email::text))=(${EMAIL}) already exists.`,
  });

/** The logger over a real pino logger, and the JSON lines it wrote. */
function capture(level = 'trace'): { logger: PinoTypeOrmLogger; lines: () => string[] } {
  const written: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      written.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  const pinoLogger = pino(baseLogOptions(level), stream);
  return { logger: new PinoTypeOrmLogger(() => pinoLogger), lines: () => written };
}

interface LogLine {
  level: number;
  msg: string;
  req?: { id?: string };
  query?: Record<string, unknown>;
}

const parsed = (lines: string[]) => lines.map((line) => JSON.parse(line) as LogLine);

describe('PinoTypeOrmLogger', () => {
  it('logs a constraint violation as one debug line with the SQL and constraint, no values', () => {
    const { logger, lines } = capture();
    logger.logQueryError(uniqueViolation(), INSERT, ['0b6c…', NAME, EMAIL]);

    expect(lines()).toHaveLength(1);
    const [line] = parsed(lines());
    expect(line).toMatchObject({
      level: 20,
      service: 'corporate-os',
      context: 'TypeORM',
      msg: 'query failed',
      query: {
        sql: INSERT,
        code: '23505',
        constraint: 'uq_shareholder_email_lower',
        table: 'shareholder',
        message: 'duplicate key value violates unique constraint "uq_shareholder_email_lower"',
      },
    });
    expect(line.query).not.toHaveProperty('detail');
    expect(lines()[0]).not.toContain(EMAIL);
    expect(lines()[0]).not.toContain(NAME);
  });

  it('logs a failure the service does not expect at error level', () => {
    const { logger, lines } = capture();
    const error = serverError('column "nickname" does not exist', { code: '42703' });
    logger.logQueryError(error, 'SELECT "nickname" FROM "shareholder" WHERE "id" = $1', [EMAIL]);

    const [line] = parsed(lines());
    expect(line).toMatchObject({ level: 50, query: { code: '42703' } });
    expect(lines()[0]).not.toContain(EMAIL);
  });

  it('keeps the quoted input of a data exception out of the line', () => {
    const { logger, lines } = capture();
    const error = serverError(`invalid input syntax for type uuid: "${EMAIL}"`, {
      code: '22P02',
    });
    logger.logQueryError(error, 'SELECT 1 FROM "shareholder" WHERE "id" = $1', [EMAIL]);

    const [line] = parsed(lines());
    expect(line.query).toMatchObject({ code: '22P02', message: 'data exception (SQLSTATE 22P02)' });
    expect(lines()[0]).not.toContain(EMAIL);
  });

  it('logs an error that is no server error by its message', () => {
    const { logger, lines } = capture();
    logger.logQueryError(new Error('Connection terminated unexpectedly'), INSERT, [EMAIL]);

    const [line] = parsed(lines());
    expect(line).toMatchObject({
      level: 50,
      query: { sql: INSERT, message: 'Connection terminated unexpectedly' },
    });
    expect(lines()[0]).not.toContain(EMAIL);
  });

  it('logs statements at trace and slow ones at warn, never with their parameters', () => {
    const { logger, lines } = capture();
    logger.logQuery(INSERT, ['id', NAME, EMAIL]);
    logger.logQuerySlow(1500, INSERT, ['id', NAME, EMAIL]);

    expect(parsed(lines())).toEqual([
      expect.objectContaining({ level: 10, msg: 'query', query: { sql: INSERT } }),
      expect.objectContaining({
        level: 40,
        msg: 'slow query',
        query: { sql: INSERT, durationMs: 1500 },
      }),
    ]);
    expect(lines().join('\n')).not.toContain(EMAIL);
  });

  it('logs migration progress at info, TypeORM chatter at debug, its warnings at warn', () => {
    const { logger, lines } = capture();
    logger.logSchemaBuild('1 migrations are new migrations must be executed.');
    logger.logMigration('Migration "AddThing" failed, error: boom');
    logger.log('log', 'plain');
    logger.log('warn', 'Postgres pool raised an error.');

    expect(parsed(lines()).map((line) => [line.level, line.msg])).toEqual([
      [30, '1 migrations are new migrations must be executed.'],
      [30, 'Migration "AddThing" failed, error: boom'],
      [20, 'plain'],
      [40, 'Postgres pool raised an error.'],
    ]);
  });

  it("writes each line through the logger current at the time (a request's, with its id)", () => {
    const written: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        written.push(chunk.toString());
        done();
      },
    });
    const root = pino(baseLogOptions('debug'), stream);
    let current = root;
    const logger = new PinoTypeOrmLogger(() => current);
    current = root.child({ req: { id: 'request-1' } });
    logger.logQueryError(uniqueViolation(), INSERT, [EMAIL]);
    current = root;
    logger.logQueryError(uniqueViolation(), INSERT, [EMAIL]);

    expect(parsed(written).map((line) => line.req?.id)).toEqual(['request-1', undefined]);
  });

  it('writes nothing below its level', () => {
    const { logger, lines } = capture('info');
    logger.logQuery(INSERT, [EMAIL]);
    logger.logQueryError(uniqueViolation(), INSERT, [EMAIL]);

    expect(lines()).toEqual([]);
  });
});
