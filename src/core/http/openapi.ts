import type { INestApplication } from '@nestjs/common';
import { applyDecorators } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOAuth2,
  DocumentBuilder,
  OpenAPIObject,
  SwaggerModule,
} from '@nestjs/swagger';
import { AppConfigService } from '../config/app-config.service';
import { OidcDiscoveryService } from '../auth/oidc-discovery.service';

export const DOCS_PATH = 'docs';

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const endpoints = app.get(OidcDiscoveryService).conventionalEndpoints;
  const config = new DocumentBuilder()
    .setTitle('Corporate OS cap table API')
    .setDescription(
      'Shareholders, share issuances, the cap table, certificates and the audit log. Errors are RFC 9457 problem+json. Click Authorize to log in through Keycloak (authorization code + PKCE), or paste an access token.',
    )
    .setVersion('1')
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
    .addSecurityRequirements('bearer')
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** Swagger UI at /docs, the OpenAPI JSON at /docs-json; SSO through the public docs client. */
export function setupOpenApi(app: INestApplication): void {
  const config = app.get(AppConfigService);
  SwaggerModule.setup(DOCS_PATH, app, () => buildOpenApiDocument(app), {
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

/** Protected operations accept either scheme: the Keycloak SSO login or a pasted bearer token. */
export const ApiAuth = (): MethodDecorator & ClassDecorator =>
  applyDecorators(ApiOAuth2(['openid'], 'keycloak'), ApiBearerAuth('bearer'));
