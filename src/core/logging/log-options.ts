import { hostname } from 'node:os';
import { stdSerializers, type LoggerOptions, type SerializedError } from 'pino';
import { isDatabaseError, withoutStatementValues } from '../db/database-error-log';

/**
 * pino's error serializer, minus the values of a failed statement (see database-error-log.ts).
 * It receives the error itself from a plain pino logger, and pino's own serialization of it from
 * pino-http's (which wraps every custom serializer around the standard one).
 */
export function serializeError(error: unknown): unknown {
  const serialized = (
    error instanceof Error ? stdSerializers.err(error) : error
  ) as SerializedError;
  if (typeof serialized !== 'object' || serialized === null) return serialized;
  if (isDatabaseError(serialized.raw)) withoutStatementValues(serialized);
  return serialized;
}

/**
 * What every logger of the service shares, the app's (LoggingModule) and those of tools that run
 * without it (the TypeORM CLI's migrations): JSON lines naming the service, credentials redacted,
 * errors without statement values.
 */
export function baseLogOptions(level: string): LoggerOptions {
  return {
    level,
    // On every line through the base bindings, not a per-request child logger.
    base: { service: 'corporate-os', pid: process.pid, hostname: hostname() },
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'res.headers["set-cookie"]',
        '*.password',
        '*.access_token',
        '*.refresh_token',
        '*.client_secret',
      ],
      censor: '[redacted]',
    },
    serializers: { err: serializeError },
  };
}
