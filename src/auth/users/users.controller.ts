import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Req,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ValidationFailedError } from '../../core/errors/app-error.js';
import type { AppRequest } from '../../core/http/request-context.js';
import { ResponseMessage } from '../../core/http/envelope.interceptor.js';
import { AdminOnly } from '../roles.decorator.js';
import { CreateUserDto } from './dto/create-user.dto.js';
import { UpdateUserDto } from './dto/update-user.dto.js';
import { toUserResponse, UserResponseDto } from './user.response.js';
import { UsersService } from './users.service.js';

const uuid = new ParseUUIDPipe({
  exceptionFactory: () =>
    new ValidationFailedError([{ field: 'id', message: 'id must be a UUID' }]),
});

@ApiTags('users')
@ApiBearerAuth()
@ApiForbiddenResponse({ description: 'Only admins manage users' })
@AdminOnly()
@Controller('api/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @ApiOperation({ summary: 'Create a user (admin)' })
  @ApiCreatedResponse({ type: UserResponseDto })
  @ResponseMessage('User created')
  async create(@Body() dto: CreateUserDto): Promise<UserResponseDto> {
    return toUserResponse(await this.users.create(dto));
  }

  @Get()
  @ApiOperation({ summary: 'List users (admin)' })
  @ApiOkResponse({ type: UserResponseDto, isArray: true })
  async list(): Promise<UserResponseDto[]> {
    return (await this.users.list()).map(toUserResponse);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a user (admin)' })
  @ApiOkResponse({ type: UserResponseDto })
  async get(@Param('id', uuid) id: string): Promise<UserResponseDto> {
    return toUserResponse(await this.users.get(id));
  }

  @Put(':id')
  @ApiOperation({ summary: "Change a user's password and/or role (admin)" })
  @ApiOkResponse({ type: UserResponseDto })
  @ResponseMessage('User updated')
  async update(
    @Param('id', uuid) id: string,
    @Body() dto: UpdateUserDto,
  ): Promise<UserResponseDto> {
    return toUserResponse(await this.users.update(id, dto));
  }

  @Delete(':id')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Delete a user (admin; not yourself, not the last admin)' })
  @ResponseMessage('User deleted')
  async remove(@Param('id', uuid) id: string, @Req() req: AppRequest): Promise<null> {
    await this.users.remove(id, req.user?.sub ?? '');
    return null;
  }
}
