import { allowedMethods, routePattern } from './method-not-allowed';

const routes = [
  { method: 'GET', pattern: routePattern('/api/shareholders/:id') },
  { method: 'PATCH', pattern: routePattern('/api/shareholders/:id') },
  { method: 'GET', pattern: routePattern('/api/shareholders/export') },
  { method: 'POST', pattern: routePattern('/api/shareholders/') },
  { method: 'GET', pattern: routePattern('/docs/*') },
  { method: 'GET', pattern: routePattern('/health/live') },
];

describe('allowedMethods', () => {
  it('lists every method that serves the path, parameters and trailing slashes included', () => {
    expect(allowedMethods(routes, '/api/shareholders/abc')).toEqual(['GET', 'PATCH']);
    expect(allowedMethods(routes, '/api/shareholders/export')).toEqual(['GET', 'PATCH']);
    expect(allowedMethods(routes, '/api/shareholders')).toEqual(['POST']);
    expect(allowedMethods(routes, '/api/shareholders/?limit=1')).toEqual(['POST']);
    expect(allowedMethods(routes, '/docs/swagger-ui.css')).toEqual(['GET']);
  });

  it('finds nothing for a path no route serves', () => {
    expect(allowedMethods(routes, '/api/shareholders/a/b')).toEqual([]);
    expect(allowedMethods(routes, '/health/live-ish')).toEqual([]);
    expect(allowedMethods(routes, '/health.live')).toEqual([]);
  });
});
