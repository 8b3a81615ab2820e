import { ApiAuth } from '../core/http/openapi';
import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, Not, IsNull } from 'typeorm';
import { Roles } from '../core/auth/auth.decorators';
import { Role } from '../core/auth/role.enum';
import { DomainError } from '../core/errors/domain-error';
import { OutboxRelay } from './outbox-relay';
import { OutboxEvent } from './outbox-event.entity';

export class DeadLetterDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'issuance.created' }) type!: string;
  @ApiProperty() aggregate_type!: string;
  @ApiProperty({ format: 'uuid' }) aggregate_id!: string;
  @ApiProperty() attempts!: number;
  @ApiProperty({ nullable: true, type: String }) last_error!: string | null;
  @ApiProperty() occurred_at!: string;
  @ApiProperty() dead_lettered_at!: string;
}

const toDto = (row: OutboxEvent): DeadLetterDto => ({
  id: row.id,
  type: row.type,
  aggregate_type: row.aggregateType,
  aggregate_id: row.aggregateId,
  attempts: row.attempts,
  last_error: row.lastError,
  occurred_at: row.occurredAt.toISOString(),
  dead_lettered_at: (row.deadLetteredAt ?? new Date(0)).toISOString(),
});

@ApiTags('events')
@ApiAuth()
@Roles(Role.Admin)
@Controller('api/events/dead-letters')
export class DeadLettersController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly relay: OutboxRelay,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Events whose delivery kept failing and was parked (newest first, up to 500)',
  })
  @ApiOkResponse({ type: [DeadLetterDto] })
  async list(): Promise<DeadLetterDto[]> {
    const rows = await this.dataSource.manager.find(OutboxEvent, {
      where: { deadLetteredAt: Not(IsNull()), deliveredAt: IsNull() },
      order: { deadLetteredAt: 'DESC' },
      take: 500,
    });
    return rows.map(toDto);
  }

  @Post(':id/retry')
  @HttpCode(202)
  @ApiOperation({ summary: 'Deliver a dead-lettered event again, with a fresh set of attempts' })
  async retry(
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<{ id: string; status: 'pending' }> {
    const [, affected] = await this.dataSource.query<[unknown[], number]>(
      `UPDATE outbox_event SET dead_lettered_at = NULL, attempts = 0, next_attempt_at = now(), claimed_by = NULL
        WHERE id = $1 AND dead_lettered_at IS NOT NULL AND delivered_at IS NULL`,
      [id],
    );
    if (affected === 0) throw new DomainError('NOT_FOUND', `No dead-lettered event ${id}.`);
    this.relay.wake();
    return { id, status: 'pending' };
  }
}
