import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { NestFactory } from '@nestjs/core';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { AppConfigService } from './core/config/app-config.service';
import { validateEnv } from './core/config/env.validation';
import { createValidationPipe } from './core/errors/validation';
import {
  answerClientError,
  answerFrameworkError,
  configureFrameworkErrors,
} from './core/http/framework-errors';
import { refuseMalformedInput } from './core/http/input-guard';
import { allowRouteBodyLimits } from './core/http/route-body-limit';
import { answerUnsupportedMethods } from './core/http/method-not-allowed';
import { answerWhileClosing } from './core/http/shutting-down';
import { REQUEST_ID_HEADER, requestIdFor } from './core/http/request-id';
import { DOCS_PATH, setupOpenApi } from './core/http/openapi';
import { MetricsService } from './core/metrics/metrics.service';
import { actForCompany } from './core/tenancy/company-hook';

export function createAdapter(): FastifyAdapter {
  const env = validateEnv(process.env);
  return new FastifyAdapter({
    bodyLimit: env.BODY_LIMIT_BYTES,
    genReqId: requestIdFor,
    routerOptions: { ignoreTrailingSlash: true },
    return503OnClosing: false, // answered as problem+json by answerWhileClosing
    // Fastify 5.10 cuts in-flight connections too under its default ('idle'), so a request being
    // served when SIGTERM came was lost (https://github.com/fastify/fastify/pull/6889). Node's
    // server.close() closes the idle ones; answerWhileClosing ends the rest (SHUTDOWN_GRACE_MS).
    forceCloseConnections: false,
    frameworkErrors: answerFrameworkError,
    // Receiving a request has a deadline; handling it has none here (a render or an export may
    // take long), so there is no idle-socket timeout (connectionTimeout) that would cut one off.
    requestTimeout: env.REQUEST_TIMEOUT_MS,
    http: {
      // Node enforces the request deadline on the body only while the headers deadline is not
      // longer; and it checks deadlines every 30 s by default, here often enough for a second.
      headersTimeout: Math.min(60_000, env.REQUEST_TIMEOUT_MS),
      connectionsCheckingInterval: Math.min(1_000, Math.ceil(env.REQUEST_TIMEOUT_MS / 2)),
    },
    clientErrorHandler: answerClientError,
  });
}

/** Plugins, pipes, filters and docs: everything between the Nest app and the network. */
export function configureApp(app: NestFastifyApplication): NestFastifyApplication {
  const config = app.get(AppConfigService);
  const logger = app.get(Logger);
  app.useLogger(logger);
  app.flushLogs();

  const fastify = app.getHttpAdapter().getInstance();
  refuseMalformedInput(fastify);
  allowRouteBodyLimits(fastify);
  fastify.addHook('onSend', async (request, reply) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
    // Swagger UI's SSO popup travels to Keycloak and back, then hands the code to its opener;
    // helmet's Cross-Origin-Opener-Policy: same-origin would sever that link on the docs pages.
    if (request.url.startsWith(`/${DOCS_PATH}`))
      void reply.header('cross-origin-opener-policy', 'unsafe-none');
  });
  const metrics = app.get(MetricsService);
  fastify.addHook('onResponse', async (request, reply) => {
    // The route pattern, not the URL: ids must not explode the label set.
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.observeHttp(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
  });

  const securityHeaders = securityHeadersFor(config.get('OIDC_ISSUER_URL'));
  fastify.addHook('onRequest', (request, reply, done) => {
    securityHeaders(request.raw, reply.raw, (error) => done(error as Error | undefined));
  });
  configureFrameworkErrors({ securityHeaders, logger });
  answerUnsupportedMethods(fastify);
  actForCompany(fastify);
  answerWhileClosing(fastify, config.get('SHUTDOWN_GRACE_MS'));
  app.enableCors({
    origin: config.corsOrigins,
    credentials: false,
    exposedHeaders: [
      REQUEST_ID_HEADER,
      'x-total-count',
      'retry-after',
      'etag',
      'content-disposition',
    ],
  });

  app.useGlobalPipes(createValidationPipe());
  setupOpenApi(app);
  return app;
}

export async function createApp(): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, createAdapter(), {
    bufferLogs: true,
  });
  return configureApp(app);
}

/** The security headers (helmet), built once: @fastify/helmet would rebuild them per request. */
function securityHeadersFor(issuerUrl: string): ReturnType<typeof helmet> {
  const issuerOrigin = new URL(issuerUrl).origin;
  return helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'", issuerOrigin],
        formAction: ["'self'", issuerOrigin],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
      },
    },
    crossOriginEmbedderPolicy: false,
  });
}
