import { Badge, Card, Code, Group, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { Job } from '../../api/client';
import { queries } from '../../api/keys';
import { formatDuration, formatIn } from '../../lib/time';

function schedule(job: Job): string {
  if (job.intervalMs) {
    return `every ${job.intervalMs / 1000} s`;
  }
  if (job.cronExpression) {
    return job.cronExpression;
  }
  return job.runAt ?? (job.jobType === 'immediate' ? 'once, on activation' : '—');
}

/** The schedule controls the job sets (window, jitter, run limit, calendars, auto-pause). */
function controls(job: Job): [string, React.ReactNode][] {
  const rows: [string, React.ReactNode][] = [];
  if (job.startAt || job.endAt) {
    rows.push([
      'Window',
      `${job.startAt ? formatIn(job.startAt, job.timezone) : 'now'} → ${job.endAt ? formatIn(job.endAt, job.timezone) : 'no end'}`,
    ]);
  }
  if (job.jitterMs > 0) {
    rows.push(['Jitter', `up to ${job.jitterMs / 1000} s`]);
  }
  if (job.maxRuns !== null) {
    rows.push(['Run limit', `${job.remainingRuns ?? job.maxRuns} of ${job.maxRuns} left`]);
  }
  if (job.excludeCalendars.length > 0) {
    rows.push(['Calendars', `${job.excludeCalendars.length} excluded (see next runs)`]);
  }
  if (job.autoPauseAfterFailures !== null) {
    rows.push(['Auto-pause', `after ${job.autoPauseAfterFailures} failures in a row`]);
  }
  return rows;
}

/** An alert window: whole minutes as "90 min", anything else as formatDuration says it. */
const windowText = (ms: number) => (ms % 60_000 === 0 ? `${ms / 60_000} min` : formatDuration(ms));

/**
 * A job's alerts, read-only: the channels by name (a channel not in the list by its id) and the
 * events sent. Null when the job has none.
 */
export function alertsText(
  alerts: Job['alerts'],
  channelNames: ReadonlyMap<string, string>,
): { channels: string; events: string } | null {
  if (!alerts || alerts.channels.length === 0) {
    return null;
  }
  const events = [
    alerts.onFailure !== false && 'failure',
    alerts.onRecovery !== false && 'recovery',
    alerts.onAutoPause !== false && 'auto-pause',
    typeof alerts.missedAfterMs === 'number' &&
      `missed run (${windowText(alerts.missedAfterMs)} late)`,
    typeof alerts.noSuccessWithinMs === 'number' &&
      `no success within ${windowText(alerts.noSuccessWithinMs)}`,
  ].filter((e): e is string => typeof e === 'string');
  return {
    channels: alerts.channels.map((id) => channelNames.get(id) ?? id).join(', '),
    events: events.length > 0 ? events.join(', ') : 'none',
  };
}

/** The job as stored: schedule, target, run policies and alerts. */
export function Definition({ job }: { job: Job }) {
  const channels = useQuery({ ...queries.channels(), enabled: job.alerts !== null });
  const alerts = alertsText(
    job.alerts,
    new Map((channels.data?.channels ?? []).map((c) => [c.id, c.name])),
  );
  const target =
    job.target.type === 'http'
      ? `${job.target.method ?? 'POST'} ${job.target.url}`
      : `handler ${job.target.name}`;
  const rows: [string, React.ReactNode][] = [
    ['Type', job.jobType],
    ['Schedule', <Code key="s">{schedule(job)}</Code>],
    ['Time zone', job.timezone],
    ['Target', target],
    ['Timeout', `${job.timeoutMs / 1000} s`],
    ['Retries', `${job.maxRetries} × ${job.retryDelayMs / 1000} s (${job.retryBackoff})`],
    ['Concurrency', job.concurrencyPolicy],
    ['Misfire', job.misfirePolicy],
    ...controls(job),
    ...(alerts
      ? ([
          ['Alerts to', alerts.channels],
          ['Alerts on', alerts.events],
        ] as [string, React.ReactNode][])
      : []),
  ];
  return (
    <Card withBorder>
      <Text fw={600} mb="xs">
        Definition
      </Text>
      <Table>
        <Table.Tbody>
          {rows.map(([label, value]) => (
            <Table.Tr key={label}>
              <Table.Th w={120}>{label}</Table.Th>
              <Table.Td>{value}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {job.tags.length > 0 && (
        <Group gap={4} mt="xs">
          {job.tags.map((tag) => (
            <Badge key={tag} variant="outline" size="sm">
              {tag}
            </Badge>
          ))}
        </Group>
      )}
    </Card>
  );
}
