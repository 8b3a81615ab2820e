import { ApiAuth, ApiUuidParam } from '../core/http/openapi';
import { ApiProblemResponses } from '../core/http/problem-responses.decorator';
import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiTags,
} from '@nestjs/swagger';
import { Roles } from '../core/auth/auth.decorators';
import { Role } from '../core/auth/role.enum';
import { DomainError } from '../core/errors/domain-error';
import type { DeadLetterRow } from './events.repository';
import { OutboxService } from './outbox.service';

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

export class DeadLetterRetryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['pending'] }) status!: 'pending';
}

const toDto = (row: DeadLetterRow): DeadLetterDto => ({
  id: row.id,
  type: row.type,
  aggregate_type: row.aggregate_type,
  aggregate_id: row.aggregate_id,
  attempts: row.attempts,
  last_error: row.last_error,
  occurred_at: row.occurred_at.toISOString(),
  dead_lettered_at: row.dead_lettered_at.toISOString(),
});

@ApiTags('events')
@ApiAuth()
@ApiProblemResponses(400, 403, 429, 500)
@Roles(Role.Admin)
@Controller(['api/events/dead-letters', 'api/companies/:company_id/events/dead-letters'])
export class DeadLettersController {
  constructor(private readonly outbox: OutboxService) {}

  @Get()
  @ApiOperation({
    operationId: 'listDeadLetters',
    summary: 'Events whose delivery kept failing and was parked (newest first, up to 500)',
    description:
      'An event is parked after OUTBOX_MAX_ATTEMPTS failed deliveries; last_error says why the last one failed.',
  })
  @ApiOkResponse({ type: [DeadLetterDto] })
  async list(): Promise<DeadLetterDto[]> {
    return (await this.outbox.deadLetters(500)).map(toDto);
  }

  @Post(':id/retry')
  @HttpCode(202)
  @ApiOperation({
    operationId: 'retryDeadLetter',
    summary: 'Deliver a dead-lettered event again, with a fresh set of attempts',
    description:
      'Marks the event pending again; the relay then delivers it like any other. 404 when no dead-lettered event has this id.',
  })
  @ApiUuidParam('id', 'The dead-lettered event id.')
  @ApiAcceptedResponse({ type: DeadLetterRetryDto })
  @ApiProblemResponses(404)
  async retry(
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<{ id: string; status: 'pending' }> {
    if (!(await this.outbox.retryDeadLetter(id)))
      throw new DomainError('NOT_FOUND', `No dead-lettered event ${id}.`);
    return { id, status: 'pending' };
  }
}
