import type { INestApplication } from '@nestjs/common';
import { describeCompanyScopes } from './openapi-companies';
import { applyDecorators } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOAuth2,
  ApiParam,
  DocumentBuilder,
  OpenAPIObject,
  SwaggerModule,
} from '@nestjs/swagger';
import { version } from '../../../package.json';
import { conventionalEndpointsOf } from '../auth/oidc-discovery.service';
import { AppConfigService } from '../config/app-config.service';
import type { EnvironmentVariables } from '../config/env.validation';
import { PROBLEM_SCHEMA, PROBLEM_SCHEMA_NAME } from '../errors/problem.schema';
import { ApiProblemResponses } from './problem-responses.decorator';

export const DOCS_PATH = 'docs';

/** What the document says about where it is deployed; everything else comes from the code. */
export interface OpenApiSettings {
  /** The Keycloak realm whose login the document offers (OAuth2 code + PKCE). */
  issuerUrl: string;
  /** The `servers` entry: PUBLIC_BASE_URL, or `/` (relative to wherever the document is served). */
  serverUrl: string;
}

export function openApiSettingsFrom(
  env: Pick<EnvironmentVariables, 'OIDC_ISSUER_URL' | 'PUBLIC_BASE_URL'>,
): OpenApiSettings {
  return {
    issuerUrl: env.OIDC_ISSUER_URL,
    serverUrl: env.PUBLIC_BASE_URL?.replace(/\/+$/, '') || '/',
  };
}

/** Every tag an operation uses, in the order the document lists them. */
const TAGS: ReadonlyArray<[name: string, description: string]> = [
  ['auth', 'Logging in and the authenticated principal.'],
  ['shareholders', 'Holder profiles (tax id, phone and address encrypted at rest) and exports.'],
  [
    'companies',
    'The companies of the deployment a caller belongs to, and their holdings across them.',
  ],
  ['company', 'The issuer: legal name, country, formation date, default currency.'],
  ['members', 'Who may act in a company, and as what (admin, auditor, shareholder).'],
  ['share classes', 'Classes of shares: authorized shares, par value, votes, certificate prefix.'],
  ['issuances', 'Shares issued to holders; amounts computed exactly.'],
  [
    'ledger',
    'Transfers, cancellations, repurchases, conversions, reissuances and reversals; the ledger.',
  ],
  ['cap table', 'Holdings, ownership and voting power as of any date, as JSON or CSV.'],
  ['equity plans', 'Stock plans and their pools, vesting terms, grants of options and RSUs.'],
  [
    'ocf',
    'Open Cap Format 1.2.0 packages: the whole cap table exported as a .ocf.zip, and imported.',
  ],
  ['imports', 'CSV bulk imports of shareholders and issuances, all or nothing, with dry runs.'],
  ['certificates', 'Share certificates (PDF), their versions, and public verification.'],
  ['audit', 'The append-only, hash-chained audit log: search, export, verification.'],
  ['events', 'Outbox events whose delivery kept failing (dead letters).'],
  ['health', 'Liveness and readiness for load balancers and orchestrators.'],
];

function documentConfig(settings: OpenApiSettings): Omit<OpenAPIObject, 'paths'> {
  const endpoints = conventionalEndpointsOf(settings.issuerUrl);
  const builder = new DocumentBuilder()
    .setTitle('Corporate OS cap table API')
    .setDescription(
      'Shareholders, share issuances, the cap table, certificates and the audit log. Every error is RFC 9457 problem+json (the Problem schema) with a stable `code`. Click Authorize to log in through Keycloak (authorization code + PKCE), or paste an access token.',
    )
    .setVersion(version)
    .addServer(settings.serverUrl)
    .addOAuth2(
      {
        type: 'oauth2',
        description: 'Log in through Keycloak (authorization code with PKCE).',
        flows: {
          authorizationCode: {
            authorizationUrl: endpoints.authorization_endpoint,
            tokenUrl: endpoints.token_endpoint,
            scopes: { openid: 'OpenID Connect' },
          },
        },
      },
      'keycloak',
    )
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
    .addSecurityRequirements('keycloak')
    .addSecurityRequirements('bearer');
  for (const [name, description] of TAGS) builder.addTag(name, description);
  const config = builder.build();
  // DocumentBuilder would write empty url and email members; the service has neither.
  config.info.contact = { name: 'Corporate OS' };
  config.info.license = { name: 'Proprietary (UNLICENSED): all rights reserved' };
  return config;
}

/** The whole document: the routes the app registers, plus the shared Problem schema. */
export function buildOpenApiDocument(
  app: INestApplication,
  settings: OpenApiSettings,
): OpenAPIObject {
  const document = SwaggerModule.createDocument(app, documentConfig(settings));
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, [PROBLEM_SCHEMA_NAME]: PROBLEM_SCHEMA },
  };
  describeCompanyScopes(document);
  return document;
}

/** Swagger UI at /docs, the OpenAPI JSON at /docs-json; SSO through the public docs client. */
export function setupOpenApi(app: INestApplication): void {
  const config = app.get(AppConfigService);
  const settings = openApiSettingsFrom({
    OIDC_ISSUER_URL: config.get('OIDC_ISSUER_URL'),
    PUBLIC_BASE_URL: config.get('PUBLIC_BASE_URL'),
  });
  SwaggerModule.setup(DOCS_PATH, app, () => buildOpenApiDocument(app, settings), {
    jsonDocumentUrl: `${DOCS_PATH}-json`,
    customSiteTitle: 'Corporate OS API',
    swaggerOptions: {
      // Swagger UI would derive it from the page path (/docs → /oauth2-redirect.html); the realm
      // registers exact redirect URIs, so give it the real one.
      oauth2RedirectUrl: `${config.publicBaseUrl}/${DOCS_PATH}/oauth2-redirect.html`,
      persistAuthorization: false,
      displayRequestDuration: true,
      initOAuth: {
        clientId: config.get('OIDC_DOCS_CLIENT_ID'),
        usePkceWithAuthorizationCodeGrant: true,
        scopes: ['openid'],
      },
    },
  });
}

/**
 * Protected operations accept either scheme: the Keycloak SSO login or a pasted bearer token.
 * Without a valid token they answer 401; while the signing keys cannot be had, 503.
 */
export const ApiAuth = (): MethodDecorator & ClassDecorator =>
  applyDecorators(
    ApiOAuth2(['openid'], 'keycloak'),
    ApiBearerAuth('bearer'),
    ApiProblemResponses(401, 503),
  );

/**
 * A path parameter that is a UUID: documented with its format, so a static segment in the same
 * position (`/api/certificates/verify/...`) can never be read as an id.
 */
export const ApiUuidParam = (name: string, description: string): MethodDecorator =>
  ApiParam({ name, description, schema: { type: 'string', format: 'uuid' } });
