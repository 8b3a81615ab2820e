import { Logger } from '@nestjs/common';
import { Client } from 'pg';

export interface PgListenerOptions {
  connectionString: string;
  /** An identifier: used as is in LISTEN. */
  channel: string;
  applicationName: string;
  reconnectDelayMs: number;
  /**
   * When set, the connection is probed this often; an answer missing for as long counts as a lost
   * connection (a silently broken network would otherwise go unnoticed until TCP gives up).
   */
  heartbeatMs?: number;
}

export interface PgListenerHandlers {
  onNotification(payload: string): void;
  /** LISTEN is in place: the first time, or again after a loss. */
  onListening?(): void;
  /** The connection is gone: notifications may have been missed until onListening. */
  onLost?(): void;
}

/**
 * One dedicated connection LISTENing on a channel, reconnecting after a loss. Callers learn of a
 * loss (onLost) and of the LISTEN being in place again (onListening), so whatever relies on
 * hearing every notification can stop trusting itself in between.
 */
export class PgNotificationListener {
  private readonly logger: Logger;
  private client?: Client;
  private heartbeat?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly options: PgListenerOptions,
    private readonly handlers: PgListenerHandlers,
  ) {
    this.logger = new Logger(`PgListener(${options.channel})`);
  }

  get isListening(): boolean {
    return this.client !== undefined;
  }

  start(): void {
    this.stopped = false;
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.heartbeat);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  /** The backend pid of the listening connection (for operations and tests). */
  get backendPid(): number | undefined {
    return (this.client as { processID?: number } | undefined)?.processID;
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({
      connectionString: this.options.connectionString,
      application_name: this.options.applicationName,
      keepAlive: true,
    });
    client.on('notification', (message) => {
      if (this.client === client) this.handlers.onNotification(message.payload ?? '');
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${this.options.channel}`);
      if (this.stopped) {
        await client.end();
        return;
      }
      this.client = client;
      this.startHeartbeat(client);
      this.handlers.onListening?.();
    } catch (error) {
      this.logger.warn({ err: error }, `Could not LISTEN on ${this.options.channel}; retrying`);
      await client.end().catch(() => undefined);
      this.retry();
    }
  }

  private lost(client: Client, error?: unknown): void {
    if (this.client !== client) return;
    this.client = undefined;
    clearInterval(this.heartbeat);
    this.handlers.onLost?.();
    if (this.stopped) return;
    this.logger.warn({ err: error }, `Connection LISTENing on ${this.options.channel} lost`);
    client.end().catch(() => undefined);
    this.retry();
  }

  private retry(): void {
    if (this.stopped) return;
    setTimeout(() => void this.connect(), this.options.reconnectDelayMs).unref();
  }

  private startHeartbeat(client: Client): void {
    const every = this.options.heartbeatMs;
    if (!every) return;
    let pending = false;
    this.heartbeat = setInterval(() => {
      if (pending) {
        this.lost(client, new Error(`no answer to the heartbeat within ${every} ms`));
        return;
      }
      pending = true;
      void client
        .query('SELECT 1')
        .then(() => (pending = false))
        .catch((error: unknown) => this.lost(client, error));
    }, every);
    this.heartbeat.unref();
  }
}
