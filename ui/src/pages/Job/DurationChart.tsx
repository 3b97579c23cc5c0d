import { BarChart } from '@mantine/charts';
import { Card, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { queries } from '../../api/keys';

const clock = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** Durations of the last 100 finished runs, oldest to newest. */
export function DurationChart({ jobId }: { jobId: string }) {
  const runs = useQuery(queries.jobExecutions(jobId, { limit: 100 }));
  const data = (runs.data?.executions ?? [])
    .filter((e) => e.durationMs !== null)
    .reverse()
    .map((e) => ({ time: clock.format(new Date(e.startedAt)), ms: e.durationMs ?? 0 }));
  return (
    <Card withBorder>
      <Text fw={600} mb="xs" id="duration-chart">
        Duration of the last {data.length} finished runs (ms)
      </Text>
      {data.length === 0 ? (
        <Text size="sm" c="dimmed">
          No finished runs yet.
        </Text>
      ) : (
        <BarChart
          h={180}
          data={data}
          dataKey="time"
          aria-labelledby="duration-chart"
          series={[{ name: 'ms', label: 'duration (ms)', color: 'indigo.5' }]}
        />
      )}
    </Card>
  );
}
