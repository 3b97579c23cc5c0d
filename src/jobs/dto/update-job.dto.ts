import { PartialType } from '@nestjs/swagger';
import { CreateJobDto } from './create-job.dto.js';

/**
 * Body of PUT /api/jobs/{id}: any subset of the create fields. `skipNullProperties: false` keeps
 * `{"name": null}` a 400 instead of slipping past validation; nullable fields opt in explicitly.
 */
export class UpdateJobDto extends PartialType(CreateJobDto, { skipNullProperties: false }) {}
