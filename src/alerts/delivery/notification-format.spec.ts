import { describe, expect, it } from '@jest/globals';
import { notificationBody, slackText } from './notification-format.js';
import { notificationBackoffMs } from './notification-sender.service.js';

describe('notification format', () => {
  const failed = {
    event: 'job.failed',
    job: { id: 'j1', name: 'a <b> & c' },
    execution: { status: 'timeout', attempt: 3, httpStatus: null, errorMessage: 'timed out' },
  };

  it('escapes Slack mrkdwn control characters in names and messages', () => {
    expect(slackText('job.failed', failed)).toBe(
      ':x: Job *a &lt;b&gt; &amp; c* failed (timeout, attempt 3): timed out',
    );
  });

  it('sends webhooks the event with its id, and slack a text with blocks', () => {
    expect(JSON.parse(notificationBody('webhook', 'n1', 'job.failed', failed))).toEqual({
      id: 'n1',
      ...failed,
    });
    const slack = JSON.parse(notificationBody('slack', 'n1', 'job.failed', failed)) as {
      text: string;
      blocks: unknown[];
    };
    expect(slack.text).toContain('failed');
    expect(slack.blocks).toHaveLength(2);
  });

  it('backs off by doubling from the base, capped at 15 minutes', () => {
    expect([1, 2, 3, 4].map((a) => notificationBackoffMs(1000, a))).toEqual([
      1000, 2000, 4000, 8000,
    ]);
    expect(notificationBackoffMs(60_000, 30)).toBe(15 * 60 * 1000);
  });
});
