import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ActionContext } from '../core/http/action-context';
import { Action } from '../core/http/action-context.decorator';
import { ApiAuth } from '../core/http/openapi';
import { ApiProblemResponses } from '../core/http/problem-responses.decorator';
import { AcrossCompanies } from '../core/tenancy/company.guard';
import { MyCompanyHoldingsDto } from './dto/my-holdings.dto';
import { MyHoldingsService } from './my-holdings.service';

@ApiTags('companies')
@ApiAuth()
@ApiProblemResponses(429, 500)
@Controller('api/me')
@AcrossCompanies()
export class MyHoldingsController {
  constructor(private readonly holdings: MyHoldingsService) {}

  @Get('holdings')
  @ApiOperation({
    operationId: 'listMyHoldings',
    summary: 'The caller’s holdings in every company where they are a holder',
    description:
      'One entry per company where the caller is a member with a holder record of their own: the shares per class as of today, their % of the company, and where their certificates are.',
  })
  @ApiOkResponse({ type: [MyCompanyHoldingsDto] })
  list(@Action() context: ActionContext): Promise<MyCompanyHoldingsDto[]> {
    return this.holdings.of(context);
  }
}
