import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { LruMap } from '../core/cache/lru-map';
import { AppConfigService } from '../core/config/app-config.service';
import { Database } from '../core/db/database.service';
import { PgNotificationListener } from '../core/db/pg-listener';
import { CompanyContext } from '../core/tenancy/company-context';
import type { IssuanceResponseDto } from './dto/issuance.dto';

/** The channel the read-cache triggers notify (migration ReadCacheNotifications). */
export const READ_CACHE_CHANNEL = 'read_cache';

const RECONNECT_DELAY_MS = 1_000;
const HEARTBEAT_MS = 5_000;
/** How many forgotten ids are remembered one by one (beyond that, a read that began earlier is not kept). */
const FORGOTTEN_IDS = 4_096;

interface CachedIssuance {
  companyId: string;
  response: IssuanceResponseDto;
  shareholderId: string;
  until: number;
}

interface CachedHolder {
  companyId: string;
  userId: string | null;
  until: number;
}

/**
 * The generation at which each id was last forgotten, for the most recent FORGOTTEN_IDS of them
 * (a Map keeps insertion order, and each id is re-inserted with the newest generation, so the
 * first entry is always the oldest). Past that window only `floor` is known: the newest
 * generation no longer tracked id by id.
 */
class ForgottenIds {
  private readonly at = new Map<string, number>();
  private floor = 0;

  note(id: string, generation: number): void {
    this.at.delete(id);
    this.at.set(id, generation);
    if (this.at.size <= FORGOTTEN_IDS) return;
    const [oldest, was] = this.at.entries().next().value as [string, number];
    this.at.delete(oldest);
    this.floor = Math.max(this.floor, was);
  }

  /** Everything counts as forgotten at `generation` (a TRUNCATE, a lost connection). */
  all(generation: number): void {
    this.at.clear();
    this.floor = generation;
  }

  /** Whether any of these ids may have been forgotten after `generation`. */
  since(generation: number, ...ids: string[]): boolean {
    if (generation < this.floor) return true;
    return ids.some((id) => (this.at.get(id) ?? 0) > generation);
  }
}

/*
 * Entries are keyed by id (random UUIDs) and carry their company: a hit for another company than
 * the current one is a miss, so an id that two companies shared could never answer across them.
 * (Not a compound key: building one string per lookup cost the hot read path measurably.)
 */

/**
 * Issuances as GET /api/issuances/{id} answers them, and which user each holder is linked to (for
 * the owner check), kept in this process so a repeated read needs no database round trip.
 *
 * Correct across instances because the database says when to forget: triggers notify
 * `read_cache` when an issuance row changes (its certificate number is set once), when a holder's
 * linked user changes, and on TRUNCATE; every instance LISTENs. A transaction of this service has
 * its notifications sent right after its commit instead (Database.transaction), and this
 * process forgets them before the transaction's caller goes on. The cache answers only while that
 * connection is listening (probed every 5 s): on a loss everything is dropped and nothing is
 * answered until LISTEN is in place again. A read that raced with a notification naming its
 * issuance or holder is not stored (the id was forgotten after the read's generation); changes to
 * other rows, of this company or any other, do not keep a read out of the cache. Entries also
 * expire after ISSUANCE_CACHE_TTL_MS.
 * Staleness is therefore bounded by the notification's delivery after commit (milliseconds).
 * ISSUANCE_CACHE_SIZE=0 turns it off.
 */
@Injectable()
export class IssuanceReadCache implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly issuances: LruMap<string, CachedIssuance>;
  private readonly holders: LruMap<string, CachedHolder>;
  private readonly ttlMs: number;
  private readonly listener?: PgNotificationListener;
  private listening = false;
  private currentGeneration = 0;
  private readonly forgotten = new ForgottenIds();

  constructor(config: AppConfigService, db: Database) {
    // This process's own commits are heard at once, before their callers see them committed;
    // everyone's (its own included) by the LISTEN connection.
    db.onReadCacheChange((payload) => this.forget(payload));
    const size = config.get('ISSUANCE_CACHE_SIZE');
    this.ttlMs = config.get('ISSUANCE_CACHE_TTL_MS');
    this.issuances = new LruMap(size);
    this.holders = new LruMap(size);
    if (size === 0 || this.ttlMs === 0) return;
    this.listener = new PgNotificationListener(
      {
        connectionString: config.get('DATABASE_URL'),
        channel: READ_CACHE_CHANNEL,
        applicationName: 'corporate-os-read-cache',
        reconnectDelayMs: RECONNECT_DELAY_MS,
        heartbeatMs: HEARTBEAT_MS,
      },
      {
        onNotification: (payload) => this.forget(payload),
        onListening: () => this.reset(true),
        onLost: () => this.reset(false),
      },
    );
  }

  onApplicationBootstrap(): void {
    this.listener?.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.reset(false);
    await this.listener?.stop();
  }

  /** Whether the cache answers now (it is on, and hears every change). */
  get active(): boolean {
    return this.listening;
  }

  /** Taken before reading the database, handed back to store(). */
  get generation(): number {
    return this.currentGeneration;
  }

  issuance(id: string): CachedIssuance | undefined {
    if (!this.listening) return undefined;
    const entry = this.issuances.get(id);
    if (!entry || entry.companyId !== CompanyContext.require()) return undefined;
    if (Date.now() < entry.until) return entry;
    this.issuances.delete(id);
    return undefined;
  }

  /** The user a holder is linked to (null: none); undefined when not known here. */
  holderUser(shareholderId: string): string | null | undefined {
    if (!this.listening) return undefined;
    const entry = this.holders.get(shareholderId);
    if (!entry || entry.companyId !== CompanyContext.require()) return undefined;
    if (Date.now() < entry.until) return entry.userId;
    this.holders.delete(shareholderId);
    return undefined;
  }

  /**
   * Keeps what a read returned, unless a change to that issuance or its holder was heard since
   * `generation` was taken (the read may predate it). The response is frozen: it is shared by
   * every request that hits it.
   */
  store(
    generation: number,
    response: IssuanceResponseDto,
    shareholderId: string,
    holderUserId: string | null,
  ): void {
    if (!this.listening || this.forgotten.since(generation, response.id, shareholderId)) return;
    const until = Date.now() + this.ttlMs;
    const companyId = CompanyContext.require();
    const frozen = Object.freeze(response);
    this.issuances.set(response.id, { companyId, response: frozen, shareholderId, until });
    this.holders.set(shareholderId, { companyId, userId: holderUserId, until });
  }

  /** `issuance:<company>:<id>`, `shareholder:<company>:<id>`, or `<table>:*` for a TRUNCATE. */
  private forget(payload: string): void {
    this.currentGeneration += 1;
    const [table, companyId, id] = payload.split(':', 3);
    if (companyId === undefined || id === undefined) {
      this.forgotten.all(this.currentGeneration);
      this.issuances.clear();
      this.holders.clear();
      return;
    }
    this.forgotten.note(id, this.currentGeneration);
    if (table === 'issuance') {
      this.issuances.delete(id); // whichever company's: forgetting is always safe
    } else if (table === 'shareholder') {
      this.holders.delete(id);
    }
  }

  private reset(listening: boolean): void {
    this.currentGeneration += 1;
    this.forgotten.all(this.currentGeneration);
    this.issuances.clear();
    this.holders.clear();
    this.listening = listening;
  }
}
