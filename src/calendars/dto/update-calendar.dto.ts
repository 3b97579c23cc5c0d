import { PartialType } from '@nestjs/swagger';
import { CreateCalendarDto } from './create-calendar.dto.js';

/** Body of PUT /api/calendars/{id}: any subset of the create fields; `dates`/`ranges` replace. */
export class UpdateCalendarDto extends PartialType(CreateCalendarDto, {
  skipNullProperties: false,
}) {}
