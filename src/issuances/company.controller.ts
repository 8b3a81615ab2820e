import { ApiAuth } from '../core/http/openapi';
import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../core/auth/auth.decorators';
import { Role } from '../core/auth/role.enum';
import type { ActionContext } from '../core/http/action-context';
import { Action } from '../core/http/action-context.decorator';
import { CompanyService } from './company.service';
import { CompanyResponseDto, PutCompanyDto } from './dto/company.dto';

@ApiTags('company')
@ApiAuth()
@Controller('api/company')
export class CompanyController {
  constructor(private readonly company: CompanyService) {}

  @Get()
  @Roles(Role.Admin, Role.Auditor)
  @ApiOperation({ summary: 'The issuer: legal name, country, formation date, default currency' })
  @ApiOkResponse({ type: CompanyResponseDto })
  get(): Promise<CompanyResponseDto> {
    return this.company.get();
  }

  @Put()
  @Roles(Role.Admin)
  @ApiOperation({ summary: 'Create or replace the company details' })
  @ApiOkResponse({ type: CompanyResponseDto })
  put(@Body() dto: PutCompanyDto, @Action() context: ActionContext): Promise<CompanyResponseDto> {
    return this.company.put(dto, context);
  }
}
