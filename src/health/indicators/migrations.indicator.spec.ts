import { describe, expect, it } from '@jest/globals';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { MigrationsRunner } from '../../core/database/migrations.runner.js';
import type { Clock } from '../../core/time/clock.js';
import { MigrationsIndicator } from './migrations.indicator.js';

class FakeRunner {
  calls = 0;
  constructor(public answers: (boolean | Error)[]) {}
  isUpToDate(): Promise<boolean> {
    this.calls += 1;
    const next = this.answers.length > 1 ? this.answers.shift() : this.answers[0];
    return next instanceof Error ? Promise.reject(next) : Promise.resolve(next as boolean);
  }
}

function setup(answers: (boolean | Error)[]) {
  const runner = new FakeRunner(answers);
  const clock = { ms: 1_000_000, nowMs: () => clock.ms };
  const indicator = new MigrationsIndicator(
    new HealthIndicatorService(),
    runner as unknown as MigrationsRunner,
    clock as unknown as Clock,
  );
  return { runner, clock, indicator };
}

describe(MigrationsIndicator.name, () => {
  it('asks the database once a minute at most while migrations are applied', async () => {
    const { runner, clock, indicator } = setup([true]);
    for (let i = 0; i < 20; i += 1) {
      expect((await indicator.check()).migrations.status).toBe('up');
      clock.ms += 1000;
    }
    expect(runner.calls).toBe(1);
    clock.ms += 60_000;
    await indicator.check();
    expect(runner.calls).toBe(2);
  });

  it('re-checks pending migrations soon, and turns up once they are applied', async () => {
    const { runner, clock, indicator } = setup([false, true]);
    expect((await indicator.check()).migrations).toEqual({
      status: 'down',
      message: 'pending migrations',
    });
    await indicator.check();
    expect(runner.calls).toBe(1);
    clock.ms += 2001;
    expect((await indicator.check()).migrations.status).toBe('up');
  });

  it('reports an unreachable database without its driver message', async () => {
    const { indicator } = setup([new Error('connect ECONNREFUSED 10.0.0.5:5432')]);
    expect((await indicator.check()).migrations).toEqual({
      status: 'down',
      message: 'unreachable',
    });
  });
});
