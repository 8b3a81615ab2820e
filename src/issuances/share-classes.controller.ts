import { ApiAuth } from '../core/http/openapi';
import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../core/auth/auth.decorators';
import { Role } from '../core/auth/role.enum';
import type { ActionContext } from '../core/http/action-context';
import { Action } from '../core/http/action-context.decorator';
import {
  CreateShareClassDto,
  ShareClassResponseDto,
  UpdateShareClassDto,
} from './dto/share-class.dto';
import { ShareClassesService } from './share-classes.service';

@ApiTags('share classes')
@ApiAuth()
@Controller('api/share-classes')
export class ShareClassesController {
  constructor(private readonly shareClasses: ShareClassesService) {}

  @Get()
  @Roles(Role.Admin, Role.Auditor)
  @ApiOperation({ summary: 'All share classes, most senior first' })
  @ApiOkResponse({ type: [ShareClassResponseDto] })
  list(): Promise<ShareClassResponseDto[]> {
    return this.shareClasses.list();
  }

  @Post()
  @Roles(Role.Admin)
  @ApiOperation({ summary: 'Create a share class' })
  @ApiCreatedResponse({ type: ShareClassResponseDto })
  create(
    @Body() dto: CreateShareClassDto,
    @Action() context: ActionContext,
  ): Promise<ShareClassResponseDto> {
    return this.shareClasses.create(dto, context);
  }

  @Get(':id')
  @Roles(Role.Admin, Role.Auditor)
  @ApiOperation({ summary: 'One share class' })
  @ApiOkResponse({ type: ShareClassResponseDto })
  get(@Param('id', new ParseUUIDPipe()) id: string): Promise<ShareClassResponseDto> {
    return this.shareClasses.get(id);
  }

  @Patch(':id')
  @Roles(Role.Admin)
  @ApiOperation({
    summary: 'Change a share class',
    description:
      'Authorized shares may rise; lowering them below the shares already issued gives 409 AUTHORIZED_BELOW_ISSUED.',
  })
  @ApiOkResponse({ type: ShareClassResponseDto })
  update(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: UpdateShareClassDto,
    @Action() context: ActionContext,
  ): Promise<ShareClassResponseDto> {
    return this.shareClasses.update(id, dto, context);
  }
}
