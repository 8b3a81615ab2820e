import { Writable } from 'node:stream';
import { DatabaseError } from 'pg';
import { pino, stdSerializers, type SerializedError } from 'pino';
import { QueryFailedError } from 'typeorm';
import { DomainError } from '../errors/domain-error';
import { baseLogOptions, serializeError } from './log-options';

const EMAIL = 'ada.lovelace@example.com';
const NAME = 'Ada Lovelace';
const UPDATE = 'UPDATE "shareholder" SET "name" = $1, "email" = $2 WHERE "id" IN ($3)';

function queryFailed(code: string, message: string, detail?: string): QueryFailedError {
  const server = Object.assign(new DatabaseError(message, 0, 'error'), {
    code,
    severity: 'ERROR',
    constraint: 'uq_shareholder_email_lower',
    table: 'shareholder',
    detail,
  });
  return new QueryFailedError(UPDATE, [NAME, EMAIL, '0b6c'], server);
}

/** One line, as a plain pino logger with the service's options writes it. */
function logged(fields: object): string {
  let written = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      written += chunk.toString();
      done();
    },
  });
  pino(baseLogOptions('info'), stream).error(fields, 'Unhandled error while serving request');
  return written;
}

describe('serializeError', () => {
  const violation = () =>
    queryFailed(
      '23505',
      'duplicate key value violates unique constraint "uq_shareholder_email_lower"',
      `Key (lower(email::text))=(${EMAIL}) already exists.`,
    );

  it("drops a failed statement's parameters and PostgreSQL's detail, keeps the rest", () => {
    const line = logged({ err: violation(), requestId: 'r-1' });

    expect(line).not.toContain(EMAIL);
    expect(line).not.toContain(NAME);
    const { err } = JSON.parse(line);
    expect(err).toMatchObject({
      type: 'QueryFailedError',
      message: 'duplicate key value violates unique constraint "uq_shareholder_email_lower"',
      query: UPDATE,
      code: '23505',
      constraint: 'uq_shareholder_email_lower',
      driverError: { code: '23505', table: 'shareholder' },
    });
    expect(err).not.toHaveProperty('parameters');
    expect(err).not.toHaveProperty('detail');
    expect(err.driverError).not.toHaveProperty('detail');
    expect(err.stack).toMatch(/^QueryFailedError: duplicate key/);
  });

  it('does the same behind pino-http, which hands it the standard serialization', () => {
    const custom = serializeError as (error: SerializedError) => Record<string, unknown>;
    const serialized = stdSerializers.wrapErrorSerializer(custom)(violation());

    expect(JSON.stringify(serialized)).not.toContain(EMAIL);
    expect(serialized).toMatchObject({ code: '23505', query: UPDATE });
  });

  it("replaces a data exception's message, which quotes the input, in the stack too", () => {
    const error = queryFailed('22P02', `invalid input syntax for type uuid: "${EMAIL}"`);
    const line = logged({ err: error });

    expect(line).not.toContain(EMAIL);
    const { err } = JSON.parse(line);
    expect(err.message).toBe('data exception (SQLSTATE 22P02)');
    expect(err.stack).toMatch(/^QueryFailedError: data exception \(SQLSTATE 22P02\)\n/);
  });

  it("drops the detail of the driver's own error too", () => {
    const server = Object.assign(new DatabaseError('duplicate key value', 0, 'error'), {
      code: '23505',
      detail: `Key (email)=(${EMAIL}) already exists.`,
    });
    const line = logged({ err: server });

    expect(line).not.toContain(EMAIL);
    expect(JSON.parse(line).err).toMatchObject({ type: 'DatabaseError', code: '23505' });
  });

  it('leaves other errors as pino serializes them', () => {
    const error = new DomainError('SHAREHOLDER_NOT_FOUND', 'No such holder');
    const { err } = JSON.parse(logged({ err: error }));

    expect(err).toMatchObject({ type: 'DomainError', message: 'No such holder' });
    expect(err.detail).toBe('No such holder');
    expect(serializeError('plain text')).toBe('plain text');
  });
});
