import { HttpException } from '@nestjs/common';
import { readdirSync, readFileSync } from 'node:fs';
import { STATUS_CODES } from 'node:http';
import { join, relative } from 'node:path';
import {
  clientErrorCodeFor,
  ERROR_CODES,
  PROBLEM_CODES,
  ProblemCode,
  statusOfProblemCode,
} from './error-code';
import { PROBLEM_SCHEMA } from './problem.schema';
import { toProblem } from './problem-details';

const SRC = join(__dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** The code of every DomainError the code base constructs: `new DomainError('X'` and `super('X'`. */
function thrownCodes(): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/(?:new DomainError|super)\(\s*'([A-Z][A-Z0-9_]*)'/g)) {
      found.set(match[1] ?? '', relative(SRC, file));
    }
  }
  return found;
}

const listed = new Set<string>(PROBLEM_CODES);
const clientErrorStatuses = Object.keys(STATUS_CODES)
  .map(Number)
  .filter((status) => status >= 400 && status < 500);

describe('the list of problem codes', () => {
  it('holds every code a service throws', () => {
    const thrown = thrownCodes();
    // The scan must see the module errors, or it proves nothing.
    expect(thrown.size).toBeGreaterThan(20);
    const unlisted = [...thrown].filter(([code]) => !listed.has(code));
    expect(unlisted).toEqual([]);
  });

  it('holds no code the service never answers with', () => {
    const lists = ['error-code.ts', 'problem.schema.ts'];
    const elsewhere = sourceFiles(SRC)
      .filter((file) => !lists.some((name) => file.endsWith(name)))
      .map((file) => readFileSync(file, 'utf8'))
      .join('\n');
    // Codes of the HTTP layer's own 4xx come from clientErrorCodeFor, the rest from a literal.
    const produced = (code: ProblemCode): boolean =>
      elsewhere.includes(`'${code}'`) ||
      clientErrorStatuses.some((status) => clientErrorCodeFor(status) === code);
    expect(PROBLEM_CODES.filter((code) => !produced(code))).toEqual([]);
  });

  it('answers every 4xx of the HTTP layer with a listed code of that status', () => {
    for (const status of clientErrorStatuses) {
      const problem = toProblem(new HttpException('refused', status), '/api/x', 'r1');
      expect(problem.status).toBe(status);
      expect(listed.has(problem.body.code)).toBe(true);
      expect([status, null]).toContain(statusOfProblemCode(problem.body.code));
    }
  });

  it('answers every 5xx of the HTTP layer with a listed code', () => {
    for (const status of Object.keys(STATUS_CODES)
      .map(Number)
      .filter((s) => s >= 500)) {
      const problem = toProblem(new HttpException('failed', status), '/api/x', 'r1');
      expect(problem.body.code).toBe(status === 503 ? 'SERVICE_UNAVAILABLE' : 'INTERNAL_ERROR');
    }
  });

  it('gives every code a service throws one status', () => {
    for (const code of ERROR_CODES) expect(statusOfProblemCode(code)).toBeGreaterThanOrEqual(400);
  });

  it('is the enum of the Problem schema in the OpenAPI document', () => {
    expect(PROBLEM_SCHEMA.properties?.code).toMatchObject({ enum: [...PROBLEM_CODES] });
  });
});
