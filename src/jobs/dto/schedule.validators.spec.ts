import { describe, expect, it } from '@jest/globals';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { IsOmittable } from '../../core/http/validators.js';
import { IsCron } from './schedule.validators.js';

class Sample {
  @IsOmittable()
  @IsCron()
  cron?: string;
}

const messages = (plain: object): string[] =>
  validateSync(plainToInstance(Sample, plain)).flatMap((e) => Object.values(e.constraints ?? {}));

describe('schedule validators', () => {
  it('IsCron accepts what the runner runs and explains what it does not', () => {
    expect(messages({ cron: '0 9 * * MON-FRI' })).toEqual([]);
    expect(messages({ cron: '0 0 31 2 *' })).toEqual(['cron never fires (no matching date)']);
    expect(messages({ cron: '* *' })[0]).toMatch(/^cron must have 5 fields/);
    expect(messages({ cron: 5 })).toEqual(['cron must be a string']);
  });
});
