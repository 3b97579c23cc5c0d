import { Body, Controller, Get, HttpCode, HttpStatus, Post, Req } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { AppRequest } from '../core/http/request-context.js';
import { UnauthorizedError } from './auth.errors.js';
import { AuthService } from './auth.service.js';
import { LoginDto } from './dto/login.dto.js';
import { MeResponseDto, TokenResponseDto } from './dto/token.response.js';
import { Public } from './public.decorator.js';

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(HttpStatus.OK)
  // An empty requirement marks the operation as callable without a token in the OpenAPI document.
  @ApiSecurity({})
  @ApiOperation({
    summary: 'Log in and get a bearer token',
    description:
      'Send the token as `Authorization: Bearer <accessToken>`; in Swagger UI paste it into the Authorize dialog.',
  })
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiUnauthorizedResponse({ description: 'Invalid username or password' })
  login(@Body() dto: LoginDto): Promise<TokenResponseDto> {
    return this.auth.login(dto.username, dto.password);
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The user the bearer token belongs to' })
  @ApiOkResponse({ type: MeResponseDto })
  me(@Req() req: AppRequest): MeResponseDto {
    if (!req.user) {
      throw new UnauthorizedError();
    }
    return this.auth.me(req.user);
  }
}
