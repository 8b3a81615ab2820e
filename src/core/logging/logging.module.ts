import { Module } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import { AppConfigService } from '../config/app-config.service';
import { REQUEST_ID_HEADER } from '../http/request-id';
import { baseLogOptions, serializeError } from './log-options';

/**
 * JSON logs with the request id on every line. Credentials never reach a log line: the
 * Authorization header, cookies and anything named like a password or token are redacted, and the
 * query string is dropped from logged URLs. Nor do the values of a failed SQL statement (see
 * log-options.ts), whether TypeORM reports the failure (db/typeorm-logger.ts) or a caller logs it.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [AppConfigService],
      useFactory: (config: AppConfigService) => ({
        pinoHttp: {
          ...baseLogOptions(config.get('LOG_LEVEL')),
          genReqId: (request: IncomingMessage) => request.headers[REQUEST_ID_HEADER] as string,
          serializers: {
            req: (request: IncomingMessage & { id?: string }) => ({
              id: request.id,
              method: request.method,
              url: request.url?.split('?')[0],
              remoteAddress: request.socket?.remoteAddress,
            }),
            res: (response: ServerResponse) => ({ statusCode: response.statusCode }),
            err: serializeError,
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
