import type { OpenAPIObject, OperationObject } from '@nestjs/swagger';
import request from 'supertest';
import { version } from '../../package.json';
import { PROBLEM_CODES } from '../../src/core/errors/error-code';
import { createOpenApiDocument } from '../../src/openapi-document';
import { startApp, TestApp } from '../support/app';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

function operations(document: OpenAPIObject): Array<[string, OperationObject]> {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.flatMap((method): Array<[string, OperationObject]> => {
      const operation = item[method];
      return operation ? [[`${method.toUpperCase()} ${path}`, operation]] : [];
    }),
  );
}

/** Only application/problem+json, with the shared Problem schema. */
function isProblemAnswer(response: OperationObject['responses'][string]): boolean {
  const content = response && 'content' in response ? (response.content ?? {}) : {};
  const schema = content['application/problem+json']?.schema;
  return (
    Object.keys(content).length === 1 &&
    schema !== undefined &&
    '$ref' in schema &&
    schema.$ref === '#/components/schemas/Problem'
  );
}

function offencesOf(route: string, operation: OperationObject, tags: Map<string, string>) {
  const offences: string[] = [];
  if (!/^[a-z][A-Za-z]+$/.test(operation.operationId ?? ''))
    offences.push(`${route}: operationId ${operation.operationId}`);
  if (!operation.tags?.length || !operation.tags.every((tag) => tags.get(tag)))
    offences.push(`${route}: tags ${operation.tags?.join()} not all declared with a description`);
  if (!operation.summary || !operation.description)
    offences.push(`${route}: summary or description missing`);
  const errors = Object.entries(operation.responses).filter(([status]) => /^[45]/.test(status));
  if (!errors.some(([status]) => status.startsWith('4')))
    offences.push(`${route}: declares no 4xx answer`);
  for (const [status, response] of errors)
    if (!isProblemAnswer(response)) offences.push(`${route}: ${status} is not the Problem`);
  return offences;
}

/**
 * The contract does not drift: the document the app serves is the one `npm run openapi` writes
 * (which the linters and the generated client read), and every operation in it keeps the rules.
 */
describe('the OpenAPI contract', () => {
  let testApp: TestApp;
  let live: OpenAPIObject;

  beforeAll(async () => {
    testApp = await startApp();
    const response = await request(testApp.app.getHttpServer()).get('/docs-json').expect(200);
    live = response.body as OpenAPIObject;
  });
  afterAll(() => testApp.close());

  it('served at /docs-json is the document generated without a server', async () => {
    await expect(createOpenApiDocument()).resolves.toEqual(live);
  });

  it('gives every operation an operationId, a declared tag, a summary, a description and problem+json errors', () => {
    const tags = new Map((live.tags ?? []).map((tag) => [tag.name, tag.description ?? '']));
    const all = operations(live);
    expect(all.length).toBeGreaterThan(30);
    expect(all.flatMap(([route, operation]) => offencesOf(route, operation, tags))).toEqual([]);
  });

  it('keeps operation ids unique', () => {
    const ids = operations(live).map(([, operation]) => operation.operationId);
    expect(ids.filter((id, index) => ids.indexOf(id) !== index)).toEqual([]);
  });

  it('lists in the Problem schema exactly the codes the service answers with', () => {
    expect(live.components?.schemas?.Problem).toMatchObject({
      properties: { code: { enum: [...PROBLEM_CODES] } },
    });
  });

  it('names the package version and a server', () => {
    expect(live.info.version).toBe(version);
    expect(live.servers).toEqual([{ url: process.env.PUBLIC_BASE_URL ?? '/' }]);
  });
});
