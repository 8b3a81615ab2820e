import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DomainError } from '../core/errors/domain-error';
import type { ActionContext } from '../core/http/action-context';
import { OutboxService } from '../events';
import { Database } from '../core/db/database.service';
import { OcfSchemas } from '../ocf';
import type { CreateVestingTermsDto, VestingTermsResponseDto } from './dto/vesting-terms.dto';
import { invalid, VestingTermsNotFoundError } from './equity-plans.errors';
import { VestingTermsRepository } from './persistence/vesting-terms.repository';
import { vestingSchedule } from './vesting/vesting-schedule';
import { termsFromShorthand, VestingShorthand, VestingTermsOcf } from './vesting/vesting-terms';
import type { VestingTerms } from './vesting-terms.entity';

/**
 * Vesting terms: OCF VestingTerms, checked against the official 1.2.0 schema and for a schedule
 * this service can compute (a start condition or a single path, relative periods within the
 * unit limit), or the shorthand, stored as the equivalent OCF terms.
 */
@Injectable()
export class VestingTermsService {
  constructor(
    private readonly db: Database,
    private readonly repository: VestingTermsRepository,
    private readonly schemas: OcfSchemas,
    private readonly outbox: OutboxService,
  ) {}

  async create(
    dto: CreateVestingTermsDto,
    context: ActionContext,
  ): Promise<VestingTermsResponseDto> {
    const id = randomUUID();
    const shorthand = dto.vesting_conditions === undefined ? shorthandOf(dto) : null;
    const terms: VestingTermsOcf = shorthand
      ? termsFromShorthand(shorthand)
      : {
          name: dto.name,
          description: dto.description ?? '',
          allocation_type: dto.allocation_type,
          vesting_conditions: dto.vesting_conditions ?? [],
        };
    this.check({ ...terms, id, object_type: 'VESTING_TERMS' });
    return this.db.transaction(async (tx) => {
      const stored = await this.repository.insert(tx, {
        id,
        name: terms.name,
        description: terms.description,
        allocationType: terms.allocation_type,
        vestingConditions: terms.vesting_conditions,
        shorthand,
        createdBySub: context.principal.sub,
        createdBy: context.principal.actorName,
      });
      const shown = toResponse(stored);
      await this.outbox.publish(
        tx,
        {
          type: 'vesting_terms.created',
          aggregateType: 'vesting_terms',
          aggregateId: id,
          payload: { before: null, after: { ...shown } },
        },
        context,
      );
      return shown;
    });
  }

  async get(id: string): Promise<VestingTermsResponseDto> {
    return toResponse(await this.require(id));
  }

  async list(): Promise<VestingTermsResponseDto[]> {
    return (await this.repository.list()).map(toResponse);
  }

  async require(id: string, field?: string): Promise<VestingTerms> {
    const terms = await this.repository.find(undefined, id);
    if (!terms) throw new VestingTermsNotFoundError(id, field);
    return terms;
  }

  /** The official schema, then a trial schedule (references resolve, portions fit the grant). */
  private check(terms: VestingTermsOcf): void {
    const errors = this.schemas.validate('objects/VestingTerms', terms);
    if (errors.length > 0)
      throw new DomainError(
        'VALIDATION_FAILED',
        'The vesting terms do not match the OCF 1.2.0 VestingTerms schema.',
        {
          errors: errors.map((e) => ({ field: fieldOf(e.pointer), messages: [e.message] })),
        },
      );
    const ids = new Set(terms.vesting_conditions.map((c) => c.id));
    terms.vesting_conditions.forEach((condition, i) => {
      for (const next of condition.next_condition_ids)
        if (!ids.has(next))
          throw invalid(
            `vesting_conditions.${i}.next_condition_ids`,
            `names ${next}, which is not a condition of these terms`,
          );
      const trigger = condition.trigger;
      if (
        trigger.type === 'VESTING_SCHEDULE_RELATIVE' &&
        !ids.has(trigger.relative_to_condition_id)
      )
        throw invalid(
          `vesting_conditions.${i}.trigger.relative_to_condition_id`,
          `names ${trigger.relative_to_condition_id}, which is not a condition of these terms`,
        );
    });
    try {
      const events = new Map(terms.vesting_conditions.map((c) => [c.id, '2000-01-01']));
      vestingSchedule(terms, { quantity: 1_000_000n, startDate: '2000-01-01', events });
    } catch (error) {
      throw invalid('vesting_conditions', (error as Error).message);
    }
  }
}

function shorthandOf(dto: CreateVestingTermsDto): VestingShorthand {
  const total = dto.total_months as number;
  const cliff = dto.cliff_months as number;
  const every = dto.frequency_months as number;
  if (total % every !== 0) throw invalid('frequency_months', 'must divide total_months');
  if (cliff > total) throw invalid('cliff_months', 'must be at most total_months');
  if (cliff % every !== 0) throw invalid('cliff_months', 'must be a multiple of frequency_months');
  return {
    name: dto.name,
    total_months: total,
    cliff_months: cliff,
    frequency_months: every,
    allocation_type: dto.allocation_type,
  };
}

/** `/vesting_conditions/0/trigger` → `vesting_conditions.0.trigger`. */
function fieldOf(pointer: string): string {
  return pointer === '/' ? 'vesting_conditions' : pointer.slice(1).replace(/\//g, '.');
}

export function toResponse(terms: VestingTerms): VestingTermsResponseDto {
  return {
    id: terms.id,
    object_type: 'VESTING_TERMS',
    name: terms.name,
    description: terms.description,
    allocation_type: terms.allocationType,
    vesting_conditions: terms.vestingConditions,
    shorthand: terms.shorthand,
    created_at: terms.createdAt.toISOString(),
    ocf_id: terms.ocfId ?? null,
  };
}
