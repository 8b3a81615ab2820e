import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckResult,
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { SkipThrottle } from '@nestjs/throttler';
import { Public } from '../auth/auth.decorators';
import { SigningKeysService } from '../auth/signing-keys.service';
import { ApiProblemResponses } from '../http/problem-responses.decorator';

@ApiTags('health')
@ApiProblemResponses(400, 500)
@Public()
@SkipThrottle()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly keys: SigningKeysService,
  ) {}

  @Get('live')
  @ApiProblemResponses(503)
  @HealthCheck()
  @ApiOperation({
    operationId: 'getLiveness',
    security: [],
    summary: 'Liveness: the process answers',
    description:
      'Checks nothing beyond the process itself, so an outage of a dependency never restarts the instance. Not rate limited.',
  })
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  @Get('ready')
  @ApiProblemResponses(503)
  @HealthCheck()
  @ApiOperation({
    operationId: 'getReadiness',
    security: [],
    summary: 'Readiness: the database answers and tokens can be verified',
    description:
      'Ready when the database answers and the identity provider signing keys are known: fetched ' +
      'now, or cached from a fetch within the key cache lifetime (10 min). Whether Keycloak itself ' +
      'answers is a detail (identity_provider), not a failure, so an outage of the identity ' +
      'provider does not take warm instances out of a load balancer.',
  })
  ready(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.db.pingCheck('database', { timeout: 3_000 }),
      async () => {
        const indicator = this.indicators.check('identity_provider_keys');
        const { ready, ...detail } = await this.keys.readiness();
        return ready
          ? indicator.up(detail)
          : indicator.down({ ...detail, message: 'no signing keys: JWKS cannot be fetched' });
      },
    ]);
  }
}
