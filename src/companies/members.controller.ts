import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Roles } from '../core/auth/auth.decorators';
import { Role } from '../core/auth/role.enum';
import type { ActionContext } from '../core/http/action-context';
import { Action } from '../core/http/action-context.decorator';
import { ApiAuth } from '../core/http/openapi';
import { ApiProblemResponses } from '../core/http/problem-responses.decorator';
import { CreateMemberDto, MemberResponseDto, UpdateMemberDto } from './dto/member.dto';
import { MembershipsService } from './memberships.service';

@ApiTags('members')
@ApiAuth()
@ApiProblemResponses(400, 403, 404, 429, 500)
@Controller('api/companies/:company_id/members')
export class MembersController {
  constructor(private readonly members: MembershipsService) {}

  @Get()
  @Roles(Role.Admin, Role.Auditor)
  @ApiOperation({
    operationId: 'listMembers',
    summary: 'Who may act in the company, and as what',
    description: 'Admins first, then auditors, then shareholders. Auditors may read the list.',
  })
  @ApiOkResponse({ type: [MemberResponseDto] })
  list(): Promise<MemberResponseDto[]> {
    return this.members.list();
  }

  @Post()
  @Roles(Role.Admin)
  @HttpCode(201)
  @ApiOperation({
    operationId: 'addMember',
    summary: 'Add a member: a Keycloak user (sub), a service account (client_id), or an email',
    description:
      'An email is an invitation: the first user who logs in with it, verified by Keycloak, becomes the member. expires_at ends the membership (an audit engagement); after it the member gets 403.',
  })
  @ApiCreatedResponse({ type: MemberResponseDto })
  @ApiProblemResponses(409, 413, 415)
  add(@Body() dto: CreateMemberDto, @Action() context: ActionContext): Promise<MemberResponseDto> {
    return this.members.add(dto, context);
  }

  @Patch(':id')
  @Roles(Role.Admin)
  @ApiOperation({
    operationId: 'updateMember',
    summary: 'Change a member’s role or end date',
    description: 'The company’s last admin cannot be demoted or given an end in the past (409).',
  })
  @ApiOkResponse({ type: MemberResponseDto })
  @ApiProblemResponses(409, 413, 415)
  update(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: UpdateMemberDto,
    @Action() context: ActionContext,
  ): Promise<MemberResponseDto> {
    return this.members.update(id, dto, context);
  }

  @Delete(':id')
  @Roles(Role.Admin)
  @HttpCode(204)
  @ApiOperation({
    operationId: 'removeMember',
    summary: 'Remove a member',
    description: 'The company’s last admin cannot be removed (409).',
  })
  @ApiNoContentResponse()
  @ApiProblemResponses(409)
  remove(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Action() context: ActionContext,
  ): Promise<void> {
    return this.members.remove(id, context);
  }
}
