import { Badge, Card, Code, Group, Table, Text } from '@mantine/core';
import type { Job } from '../../api/client';
import { formatIn } from '../../lib/time';

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

/** The job as stored: schedule, target and run policies. */
export function Definition({ job }: { job: Job }) {
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
