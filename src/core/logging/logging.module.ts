import { Module } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import { LoggerModule } from 'nestjs-pino';
import { AppConfigService } from '../config/app-config.service';
import { REQUEST_ID_HEADER } from '../http/request-id';

/**
 * JSON logs with the request id on every line. Credentials never reach a log line: the
 * Authorization header, cookies and anything named like a password or token are redacted, and the
 * query string is dropped from logged URLs.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [AppConfigService],
      useFactory: (config: AppConfigService) => ({
        pinoHttp: {
          level: config.get('LOG_LEVEL'),
          genReqId: (request: IncomingMessage) => request.headers[REQUEST_ID_HEADER] as string,
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
          serializers: {
            req: (request: IncomingMessage & { id?: string }) => ({
              id: request.id,
              method: request.method,
              url: request.url?.split('?')[0],
              remoteAddress: request.socket?.remoteAddress,
            }),
            res: (response: ServerResponse) => ({ statusCode: response.statusCode }),
          },
          customLogLevel: (_request: IncomingMessage, response: ServerResponse, error?: Error) =>
            error || response.statusCode >= 500
              ? 'error'
              : response.statusCode >= 400
                ? 'warn'
                : 'info',
        },
      }),
    }),
  ],
})
export class LoggingModule {}
