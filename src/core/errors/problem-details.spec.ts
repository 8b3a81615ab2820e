import { DatabaseError } from 'pg';
import { toProblem } from './problem-details';

function checkViolation(constraint: string): DatabaseError {
  const error = new DatabaseError('new row violates check constraint', 100, 'error');
  error.code = '23514';
  error.constraint = constraint;
  error.detail = 'Failing row contains (secret@example.com, ...).';
  return error;
}

describe('toProblem', () => {
  it('answers a check violation with 422 naming the constraint, never the failing row', () => {
    const problem = toProblem(checkViolation('ck_issuance_currency'), '/api/issuances/', 'r1');
    expect(problem.status).toBe(422);
    expect(problem.unexpected).toBe(false);
    expect(problem.body).toMatchObject({
      code: 'CHECK_VIOLATED',
      constraint: 'ck_issuance_currency',
    });
    expect(JSON.stringify(problem.body)).not.toContain('secret@example.com');
  });

  it("answers the HTTP layer's own 4xx errors with their status and a fixed detail", () => {
    const tooLong = Object.assign(new Error('URI Too Long: /api/issuances/<script>'), {
      statusCode: 414,
    });
    const problem = toProblem(tooLong, '/api/issuances/x', 'r2');
    expect(problem.status).toBe(414);
    expect(problem.body.code).toBe('URI_TOO_LONG');
    expect(JSON.stringify(problem.body)).not.toContain('<script>');
  });

  it('keeps anything else a generic 500', () => {
    const problem = toProblem(new Error('boom'), '/x', 'r3');
    expect(problem.status).toBe(500);
    expect(problem.unexpected).toBe(true);
    expect(JSON.stringify(problem.body)).not.toContain('boom');
  });
});
