import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A row of `calendars`. Reads and writes are SQL in CalendarsRepository (dates travel as text so
 * no driver turns a local date into a Date at local midnight); this describes the table.
 */
@Entity({ name: 'calendars' })
export class CalendarEntity {
  @PrimaryColumn({ type: 'uuid', default: () => 'gen_random_uuid()' })
  id: string;

  @Column({ type: 'varchar', length: 255 })
  name: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'varchar', length: 64 })
  timezone: string;

  @Column({ type: 'date', array: true })
  dates: string[];

  @Column({ name: 'range_starts', type: 'timestamptz', array: true })
  rangeStarts: Date[];

  @Column({ name: 'range_ends', type: 'timestamptz', array: true })
  rangeEnds: Date[];

  /** Bumped with updated_at by a trigger on every definition change (the ETag). */
  @Column({ type: 'integer', default: 1 })
  version: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
