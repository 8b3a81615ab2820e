/**
 * The framework ceilings: the smallest NestJS 11 app on @nestjs/platform-fastify (the service's
 * adapter) answering a small JSON, optionally behind a guard that checks an RS256 bearer token
 * with jsonwebtoken and a local RSA public key (what the service's JWT check costs at best), and
 * optionally reading one issuance row by primary key with a plain `pg` pool (what one database
 * round trip adds on this machine; for information, not a target).
 */
import 'reflect-metadata';
import {
  CanActivate,
  Controller,
  ExecutionContext,
  Get,
  Injectable,
  Module,
  NotFoundException,
  Param,
  UnauthorizedException,
} from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { verify } from 'jsonwebtoken';
import { createPublicKey, KeyObject } from 'node:crypto';
import { Pool } from 'pg';

@Controller()
class HelloController {
  @Get('hello')
  hello(): { id: string; ok: boolean; at: string } {
    return { id: '5b0c2b7e-6a51-4b7e-9d3c-1f2e3d4c5b6a', ok: true, at: new Date().toISOString() };
  }
}

@Controller()
class IssuanceRowController {
  private readonly pool = new Pool({
    connectionString: process.env.BASELINE_DATABASE_URL,
    max: Number(process.env.BASELINE_POOL_SIZE ?? 10),
  });

  private company?: Promise<string>;

  private companyId(): Promise<string> {
    this.company ??= this.pool
      .query<{ id: string }>('SELECT id FROM company ORDER BY created_at, id LIMIT 1')
      .then(({ rows }) => rows[0]?.id ?? '');
    return this.company;
  }

  @Get('issuances/:id')
  async issuance(@Param('id') id: string): Promise<Record<string, unknown>> {
    // The bench's issuances are the first company's; the key is (company_id, id).
    const { rows } = await this.pool.query<Record<string, unknown>>(
      'SELECT * FROM issuance WHERE company_id = $1 AND id = $2',
      [await this.companyId(), id],
    );
    if (!rows[0]) throw new NotFoundException();
    return rows[0];
  }
}

@Injectable()
class Rs256Guard implements CanActivate {
  /**
   * Parsed once (BASELINE_KEY_FORMAT=keyobject, the default): the ceiling. With `pem`, the PEM
   * string is handed to jsonwebtoken, which parses it again on every request (for comparison).
   */
  private readonly publicKey: KeyObject | string =
    process.env.BASELINE_KEY_FORMAT === 'pem'
      ? (process.env.BASELINE_PUBLIC_KEY ?? '')
      : createPublicKey(process.env.BASELINE_PUBLIC_KEY ?? '');
  private readonly issuer = process.env.BASELINE_ISSUER ?? '';
  private readonly audience = process.env.BASELINE_AUDIENCE ?? '';

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string> }>();
    const header = request.headers.authorization ?? '';
    if (!header.startsWith('Bearer ')) throw new UnauthorizedException();
    try {
      verify(header.slice(7), this.publicKey, {
        algorithms: ['RS256'],
        issuer: this.issuer,
        audience: this.audience,
      });
    } catch {
      throw new UnauthorizedException();
    }
    return true;
  }
}

export async function startBaseline(rs256: boolean, withDb = false): Promise<void> {
  @Module({
    controllers: withDb ? [HelloController, IssuanceRowController] : [HelloController],
    providers: rs256 ? [{ provide: APP_GUARD, useClass: Rs256Guard }] : [],
  })
  class BaselineModule {}

  const app = await NestFactory.create<NestFastifyApplication>(
    BaselineModule,
    new FastifyAdapter(),
    { logger: false },
  );
  await app.listen({ port: Number(process.env.PORT ?? 3999), host: '127.0.0.1' });
}
