import { Body, Controller, Delete, Get, HttpStatus, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiEnvelope, ApiErrors } from '../../core/http/api-responses.js';
import { ResponseMessage } from '../../core/http/envelope.interceptor.js';
import { UuidParam } from '../../core/http/validators.js';
import { AdminOnly } from '../roles.decorator.js';
import { ApiKeysService } from './api-keys.service.js';
import {
  ApiKeyResponseDto,
  CreatedApiKeyResponseDto,
  toApiKeyResponse,
} from './dto/api-key.response.js';
import { CreateApiKeyDto } from './dto/create-api-key.dto.js';

@ApiTags('api-keys')
@AdminOnly()
@Controller('api/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  @ResponseMessage('API key created: store the key now, it is not shown again')
  @ApiOperation({
    summary: 'Create an API key for a machine (admin)',
    description:
      'Returns the key once. Send it as `Authorization: Bearer <key>`; it acts with its role like a user, and is rate-limited on its own.',
  })
  @ApiEnvelope(CreatedApiKeyResponseDto, HttpStatus.CREATED, 'Created')
  @ApiErrors()
  async create(@Body() dto: CreateApiKeyDto): Promise<CreatedApiKeyResponseDto> {
    const { row, key } = await this.keys.create(dto);
    return { ...toApiKeyResponse(row), key };
  }

  @Get()
  @ApiOperation({ summary: 'List API keys, newest first (admin; never the secrets)' })
  @ApiOkResponse({ type: ApiKeyResponseDto, isArray: true, description: '`data` is the list' })
  @ApiErrors()
  async list(): Promise<ApiKeyResponseDto[]> {
    return (await this.keys.list()).map(toApiKeyResponse);
  }

  @Delete(':id')
  @ResponseMessage('API key revoked')
  @ApiOperation({
    summary: 'Revoke an API key (admin): refused from the next request on, on every replica',
  })
  @ApiEnvelope(ApiKeyResponseDto)
  @ApiErrors(404)
  async revoke(@UuidParam() id: string): Promise<ApiKeyResponseDto> {
    return toApiKeyResponse(await this.keys.revoke(id));
  }
}
