import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Database, sql } from '../../core/db/database.service';
import { IdempotencyKey } from '../idempotency-key.entity';

/** How long a key is remembered; at least 24 h as promised to clients. */
const KEY_TTL = '24 hours';

/** Statements of the idempotency_key table. */
@Injectable()
export class IdempotencyRepository {
  constructor(private readonly db: Database) {}

  /** Inserts the key (or takes over an expired one); false when a live key already exists. */
  async insert(tx: EntityManager, scope: string, key: string, hash: string): Promise<boolean> {
    const rows = await this.db.rows(
      sql`INSERT INTO idempotency_key (scope, key, request_hash, expires_at)
          VALUES (${scope}, ${key}, ${hash}, now() + ${KEY_TTL}::interval)
          ON CONFLICT (company_id, scope, key) DO UPDATE
            SET request_hash = EXCLUDED.request_hash, response_body = NULL,
                created_at = now(), expires_at = EXCLUDED.expires_at
            WHERE idempotency_key.expires_at < now()
          RETURNING key`,
      { tx },
    );
    return rows.length > 0;
  }

  find(tx: EntityManager, scope: string, key: string): Promise<IdempotencyKey> {
    return tx.findOneOrFail(IdempotencyKey, { where: { scope, key } });
  }

  async complete(tx: EntityManager, scope: string, key: string, response: object): Promise<void> {
    await tx.update(IdempotencyKey, { scope, key }, { responseBody: response });
  }

  async purgeExpired(): Promise<number> {
    // Every company's expired keys, by the schema's SECURITY DEFINER function.
    const [row] = await this.db.rows<{ n: string }>(
      sql`SELECT app_idempotency_purge_expired()::text AS n`,
      { unscoped: true },
    );
    return Number(row?.n ?? 0);
  }
}
