import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { startApp, TestApp } from '../support/app';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
/** Routes deliberately outside the OpenAPI document. */
const UNDOCUMENTED = new Set(['GET /metrics']);

const normalize = (method: string, path: string) =>
  `${method.toUpperCase()} ${path.replace(/\/+$/, '') || '/'}`;

function readmeRoutes(): Set<string> {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const section = readme.slice(
    readme.indexOf('## Routes'),
    readme.indexOf('\n## ', readme.indexOf('## Routes') + 5),
  );
  const routes = [...section.matchAll(/`(GET|POST|PUT|PATCH|DELETE) (\/[^`\s?]*)`/g)].map((m) =>
    normalize(m[1] ?? '', m[2] ?? ''),
  );
  return new Set(routes);
}

describe('README route table', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startApp();
  });
  afterAll(() => testApp.close());

  it('lists exactly the operations of the OpenAPI document', async () => {
    const { body } = await request(testApp.app.getHttpServer()).get('/docs-json').expect(200);
    const documented = new Set<string>();
    for (const [path, item] of Object.entries(
      body.paths as Record<string, Record<string, unknown>>,
    )) {
      for (const method of METHODS) {
        const operation = item[method] as { operationId?: string } | undefined;
        // The twins under /api/companies/{company_id}/ of the unscoped routes: the README says
        // once that every route exists there too.
        if (operation && !operation.operationId?.endsWith('ForCompany'))
          documented.add(normalize(method, path));
      }
    }
    const listed = readmeRoutes();
    const missingFromReadme = [...documented].filter((r) => !listed.has(r)).sort();
    const notInOpenApi = [...listed]
      .filter((r) => !documented.has(r) && !UNDOCUMENTED.has(r))
      .sort();
    expect({ missingFromReadme, notInOpenApi }).toEqual({
      missingFromReadme: [],
      notInOpenApi: [],
    });
  });
});
