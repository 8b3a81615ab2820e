import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { IdempotencyKeyReusedError } from './issuances.errors';
import { IdempotencyRepository } from './persistence/idempotency.repository';
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

  constructor(private readonly repository: IdempotencyRepository) {}

  async claim<T>(
    tx: EntityManager,
    scope: string,
    key: string,
    hash: string,
  ): Promise<IdempotencyClaim<T>> {
    if (await this.repository.insert(tx, scope, key, hash)) return { kind: 'new' };
    const existing = await this.repository.find(tx, scope, key);
    if (existing.requestHash !== hash) throw new IdempotencyKeyReusedError();
    if (existing.responseBody === null)
      throw new Error('idempotency key committed without a response');
    return { kind: 'replay', response: existing.responseBody as T };
  }

  async complete(tx: EntityManager, scope: string, key: string, response: object): Promise<void> {
    await this.repository.complete(tx, scope, key, response);
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
      return await this.repository.purgeExpired();
    } catch (error) {
      this.logger.warn({ err: error }, 'Could not purge expired idempotency keys');
      return 0;
    }
  }
}
