import { ApiAuth } from '../http/openapi';
import { AcrossCompanies } from '../tenancy/company.guard';
import { ApiProblemResponses } from '../http/problem-responses.decorator';
import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DomainError } from '../errors/domain-error';
import { CurrentPrincipal, Public } from './auth.decorators';
import { PrincipalDto, TokenRequestDto, TokenResponseDto } from './dto/token.dto';
import type { Principal } from './principal';
import { TokenService } from './token.service';
import { LoginRoute } from '../http/throttling';
import { ReqMeta, RequestMeta } from '../http/request-meta.decorator';

@ApiTags('auth')
@ApiProblemResponses(400, 429, 500)
@Controller('api')
// About the caller and their tokens, not about a company.
@AcrossCompanies()
export class AuthController {
  constructor(private readonly tokens: TokenService) {}

  @Public()
  @LoginRoute()
  @Post('token')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'logIn',
    security: [],
    summary: 'Log in with a username and password',
    description:
      'Performs the OAuth2 password grant at Keycloak and returns the access token. Wrong credentials give 401 without saying whether the user exists. Operators can switch this route off (TOKEN_ENDPOINT_ENABLED=false).',
  })
  @ApiConsumes('application/json', 'application/x-www-form-urlencoded')
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiProblemResponses(401, 404, 413, 415, 503)
  async token(
    @Body() credentials: TokenRequestDto,
    @ReqMeta() meta: RequestMeta,
  ): Promise<TokenResponseDto> {
    if (!this.tokens.enabled) {
      throw new DomainError(
        'NOT_FOUND',
        'The password login route is switched off on this server.',
      );
    }
    return this.tokens.passwordGrant(credentials, meta);
  }

  @Get('me')
  @ApiAuth()
  @ApiOperation({
    operationId: 'getCurrentPrincipal',
    summary: 'The authenticated principal',
    description:
      'Who the token says the caller is: subject, username, email, roles, client, and whether it is a service account.',
  })
  @ApiOkResponse({ type: PrincipalDto })
  me(@CurrentPrincipal() principal: Principal): PrincipalDto {
    return {
      sub: principal.sub,
      username: principal.username,
      email: principal.email,
      roles: principal.roles,
      client_id: principal.clientId,
      service_account: principal.serviceAccount,
    };
  }
}
