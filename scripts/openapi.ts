/**
 * Writes the OpenAPI document to a file without a running server or database:
 *
 *   npm run openapi [-- <file>]     (default generated/openapi.json, git-ignored)
 *
 * The document's deployment facts come from the environment as at run time: PUBLIC_BASE_URL for
 * `servers` (else `/`) and OIDC_ISSUER_URL for the login URLs. Required variables that are unset
 * get harmless placeholders; nothing connects to them.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';

const PLACEHOLDERS: Record<string, string> = {
  DATABASE_URL: 'postgres://openapi@127.0.0.1:1/not_connected',
  OIDC_ISSUER_URL: 'http://localhost:8080/realms/corporate-os',
  ENCRYPTION_KEYS: `openapi:${Buffer.alloc(32).toString('base64')}`,
  LOG_LEVEL: 'silent',
};

async function main(): Promise<void> {
  for (const [name, value] of Object.entries(PLACEHOLDERS)) process.env[name] ??= value;
  // Loaded only now: the configuration module validates the environment when it is imported.
  const { createOpenApiDocument } = await import('../src/openapi-document');
  const document = await createOpenApiDocument();
  const file = resolve(process.argv[2] ?? 'generated/openapi.json');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`);
  const paths = Object.keys(document.paths).length;
  console.log(`OpenAPI ${document.info.version}, ${paths} paths: ${relative(process.cwd(), file)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
