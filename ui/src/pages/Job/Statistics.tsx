import { Card, Stack, Text } from '@mantine/core';
import type { Job } from '../../api/client';
import { Time } from '../../components/Time';

export function Statistics({ job }: { job: Job }) {
  const s = job.statistics;
  return (
    <Card withBorder>
      <Text fw={600} mb="xs">
        Statistics
      </Text>
      <Stack gap={6}>
        <Text size="sm">
          Runs: <b data-testid="total-runs">{s.totalRuns}</b> · succeeded <b>{s.successfulRuns}</b>{' '}
          · failed <b>{s.failedRuns}</b>
        </Text>
        <Text size="sm">Success rate: {s.successRate}%</Text>
        <Text size="sm" fw={500}>
          Last run
        </Text>
        <Time iso={job.lastRunAt} zone={job.timezone} />
        <Text size="sm" fw={500}>
          Next run
        </Text>
        <Time iso={job.nextRunAt} zone={job.timezone} />
      </Stack>
    </Card>
  );
}
