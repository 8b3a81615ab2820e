import { NestFactory } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { AppModule } from './app.module';
import { createAdapter } from './app.factory';
import { validateEnv } from './core/config/env.validation';
import { buildOpenApiDocument, openApiSettingsFrom } from './core/http/openapi';

/**
 * The OpenAPI document the app serves at /docs-json, built without serving it: Nest's preview
 * mode scans the modules and controllers but instantiates no provider, so nothing connects to
 * PostgreSQL or Keycloak. The environment must still validate (dummy values will do).
 */
export async function createOpenApiDocument(): Promise<OpenAPIObject> {
  const app = await NestFactory.create(AppModule, createAdapter(), {
    preview: true,
    logger: false,
  });
  return buildOpenApiDocument(app, openApiSettingsFrom(validateEnv(process.env)));
}
