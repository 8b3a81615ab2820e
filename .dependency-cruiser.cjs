/**
 * Module boundaries of the modular monolith (`npm run lint:boundaries`).
 *
 * Feature modules are the top-level folders of src/ other than src/core/ (shareholders, issuances,
 * audit, certificates, events, notifications, and any added later: the rules match folder names
 * with regular-expression groups, never a list of modules). Each feature module exposes its public
 * surface in `src/<module>/index.ts`; every other file of it is internal.
 *
 * Paths are relative to the directory depcruise runs in (the repository root, or a fixture root
 * in test/architecture/), hence `^src/`.
 */
const path = require('node:path');

/** A feature module's folder: any top-level folder of src/ but core/. */
const FEATURE = '^src/(?!core/)[^/]+/';
/** A feature module's public surface. */
const PUBLIC_SURFACE = '^src/[^/]+/index\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'No import cycles, between modules or inside one. Type-only imports count too: with ' +
        'emitDecoratorMetadata a type named in a decorated constructor or property is emitted as ' +
        'a runtime reference (Nest DI, class-validator, TypeORM), so "type-only" is not reliably ' +
        'erased, and a type cycle between modules is the same coupling as a value cycle. Cycles ' +
        'that NestJS forwardRef() papers over are import cycles like any other and are refused ' +
        'too: break them with an event, or by moving the shared piece where both can depend on it.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-imports-no-feature-module',
      severity: 'error',
      comment:
        'src/core/ is cross-cutting infrastructure (config, auth, db, http, logging, metrics): ' +
        'it must not know any feature module. Whatever core needs from a feature is handed to it ' +
        '(a provider, a callback, an event), never imported.',
      from: { path: '^src/core/' },
      to: { path: FEATURE },
    },
    {
      name: 'feature-imports-other-modules-only-through-index',
      severity: 'error',
      comment:
        "A file in feature module A may import from another feature module B only B's public " +
        'surface src/B/index.ts (its Nest module class, exported services, errors and public ' +
        "types), never B's entities, repositories, DTOs or helpers directly. $1 is the importing " +
        "file's module; src/core/ may be imported directly from anywhere.",
      from: { path: '^src/([^/]+)/', pathNot: '^src/core/' },
      to: { path: '^src/(?!$1/|core/)[^/]+/', pathNot: PUBLIC_SURFACE },
    },
    {
      name: 'composition-root-imports-modules-only-through-index',
      severity: 'error',
      comment:
        'The top-level files of src/ (app.module.ts, app.factory.ts, main.ts) wire the modules ' +
        'together: they too import a feature module only through its src/<module>/index.ts.',
      from: { path: '^src/[^/]+\\.ts$' },
      to: { path: FEATURE, pathNot: PUBLIC_SURFACE },
    },
    {
      name: 'nothing-imports-the-composition-root',
      severity: 'error',
      comment:
        'Modules and core never import the top-level files of src/ (app.module.ts, ' +
        'app.factory.ts, main.ts): they sit above every module and importing them would be a ' +
        'dependency on every module at once. Tests (outside src/) may.',
      from: { path: '^src/[^/]+/' },
      to: { path: '^src/[^/]+\\.ts$' },
    },
    {
      name: 'src-imports-no-test-code',
      severity: 'error',
      comment:
        'Production code never depends on test code: not on a spec file, not on test/ (e2e ' +
        'support, fixtures), not on bench/. Only spec files may import spec helpers.',
      from: { path: '^src/', pathNot: '\\.spec\\.ts$' },
      to: { path: ['\\.spec\\.ts$', '^test/', '^bench/'] },
    },
    {
      name: 'no-orphans',
      severity: 'error',
      comment:
        'A file that imports nothing and that nothing imports is dead code (or something wired ' +
        'by a glob that should say so here). Entities are loaded by a glob, but each imports ' +
        'typeorm, so they are not orphans.',
      from: { orphan: true, pathNot: ['\\.d\\.ts$', '(^|/)\\.[^/]+\\.(js|cjs|mjs|ts|json)$'] },
      to: {},
    },
    {
      name: 'no-unresolvable-imports',
      severity: 'error',
      comment:
        'Every import resolves to a file or package. Besides catching typos, this keeps the other ' +
        'rules honest: an import that does not resolve (say, a tsconfig path the cruiser cannot ' +
        'follow) would otherwise slip past every path rule above.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports are dependencies too (see no-circular), so keep them in the graph.
    tsPreCompilationDeps: true,
    // Resolve imports exactly as tsc does (baseUrl, paths), from the repository's tsconfig.
    tsConfig: { fileName: path.join(__dirname, 'tsconfig.json') },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['require', 'node', 'default', 'types'],
      mainFields: ['main', 'types', 'typings'],
      extensions: ['.ts', '.js', '.json', '.d.ts'],
    },
    skipAnalysisNotInRules: true,
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
