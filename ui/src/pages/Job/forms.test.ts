import { describe, expect, it } from 'vitest';
import { localInputOf } from '../../lib/fieldErrors';
import { backfillBody } from './Backfill';
import { pauseBody } from './PauseControls';

describe('pauseBody', () => {
  it('sends a trimmed note and the until instant, or null for either left empty', () => {
    expect(pauseBody('  upstream maintenance ', localInputOf('2030-01-01T06:00:00Z'))).toEqual({
      note: 'upstream maintenance',
      until: '2030-01-01T06:00:00.000Z',
    });
    expect(pauseBody('   ', '')).toEqual({ note: null, until: null });
  });
});

describe('backfillBody', () => {
  it('sends the range as instants with the dry-run flag; an empty input as "" for the API to name', () => {
    expect(
      backfillBody(
        localInputOf('2026-11-30T00:00:00Z'),
        localInputOf('2026-11-30T05:00:00Z'),
        true,
      ),
    ).toEqual({ from: '2026-11-30T00:00:00.000Z', to: '2026-11-30T05:00:00.000Z', dryRun: true });
    expect(backfillBody('', '', false)).toEqual({ from: '', to: '', dryRun: false });
  });
});
