import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { IdempotencyKey } from './idempotency-key.entity';
import { IdempotencyKeyReusedError } from './issuances.errors';

/** How long a key is remembered; at least 24 h as promised to clients. */
const KEY_TTL = '24 hours';
const PURGE_EVERY_MS = 60 * 60_000;

export type IdempotencyClaim<T> = { kind: 'new' } | { kind: 'replay'; response: T };

export function requestHash(request: unknown): string {
  return createHash('sha256').update(JSON.stringify(request)).digest('hex');
}

/**
 * Idempotency keys, handled inside the caller's transaction. Claiming inserts the key; a concurrent
 * request with the same key blocks on the primary key until the first transaction ends, then
 * replays its stored response (or, if the first rolled back, proceeds as new).
 */
@Injectable()
export class IdempotencyService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(IdempotencyService.name);
  private purgeTimer?: NodeJS.Timeout;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async claim<T>(
    tx: EntityManager,
    scope: string,
    key: string,
    hash: string,
  ): Promise<IdempotencyClaim<T>> {
    const inserted = await tx.query<unknown[]>(
      `INSERT INTO idempotency_key (scope, key, request_hash, expires_at)
       VALUES ($1, $2, $3, now() + interval '${KEY_TTL}')
       ON CONFLICT (scope, key) DO UPDATE
         SET request_hash = EXCLUDED.request_hash, response_body = NULL,
             created_at = now(), expires_at = EXCLUDED.expires_at
         WHERE idempotency_key.expires_at < now()
       RETURNING key`,
      [scope, key, hash],
    );
    if (inserted.length > 0) return { kind: 'new' };
    const existing = await tx.findOneOrFail(IdempotencyKey, { where: { scope, key } });
    if (existing.requestHash !== hash) throw new IdempotencyKeyReusedError();
    if (existing.responseBody === null)
      throw new Error('idempotency key committed without a response');
    return { kind: 'replay', response: existing.responseBody as T };
  }

  async complete(tx: EntityManager, scope: string, key: string, response: object): Promise<void> {
    await tx.update(IdempotencyKey, { scope, key }, { responseBody: response });
  }

  onModuleInit(): void {
    this.purgeTimer = setInterval(() => void this.purgeExpired(), PURGE_EVERY_MS);
    this.purgeTimer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.purgeTimer);
  }

  async purgeExpired(): Promise<number> {
    try {
      const result = await this.dataSource.manager
        .createQueryBuilder()
        .delete()
        .from(IdempotencyKey)
        .where('expires_at < now()')
        .execute();
      return result.affected ?? 0;
    } catch (error) {
      this.logger.warn({ err: error }, 'Could not purge expired idempotency keys');
      return 0;
    }
  }
}
