import { describe, expect, it } from 'vitest';
import { alertsText } from './Definition';

const OPS = '3f1c2a9e-8b7d-4c7a-9f0e-2d4b6a8c1e5f';
const GONE = '0b7c6a52-7d43-4f8e-9d2a-6a1f5f2d0c11';

describe('alertsText', () => {
  it('names the channels (an unknown one by its id) and the events sent', () => {
    expect(
      alertsText(
        {
          channels: [OPS, GONE],
          onFailure: true,
          onRecovery: false,
          onAutoPause: true,
          missedAfterMs: 300_000,
          noSuccessWithinMs: 90_000,
        },
        new Map([[OPS, 'ops-hook']]),
      ),
    ).toEqual({
      channels: `ops-hook, ${GONE}`,
      events: 'failure, auto-pause, missed run (5 min late), no success within 1 min 30 s',
    });
  });

  it('says none when every event is off, and nothing for a job without alerts', () => {
    expect(
      alertsText(
        {
          channels: [OPS],
          onFailure: false,
          onRecovery: false,
          onAutoPause: false,
          missedAfterMs: null,
          noSuccessWithinMs: null,
        },
        new Map(),
      ),
    ).toEqual({ channels: OPS, events: 'none' });
    expect(alertsText(null, new Map())).toBeNull();
  });
});
