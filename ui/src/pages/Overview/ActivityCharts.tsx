import { AreaChart, LineChart } from '@mantine/charts';
import { Card, SimpleGrid, Text } from '@mantine/core';
import type { Schemas } from '../../api/client';

const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

/** Runs and failures per bucket, and the firing lag p99, over the chosen window. */
export function ActivityCharts({ activity }: { activity: Schemas['ActivityResponseDto'] }) {
  const data = activity.buckets.map((b) => ({
    time: clock.format(new Date(b.at)),
    runs: b.firings,
    failures: b.failures,
    lag: b.lagMsP99 ?? 0,
  }));
  const per = activity.bucketSeconds === 60 ? 'minute' : `${activity.bucketSeconds / 60} minutes`;
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }}>
      <Card withBorder>
        <Text fw={600} mb="xs" id="runs-chart">
          Runs and failures per {per}
        </Text>
        <AreaChart
          h={220}
          data={data}
          dataKey="time"
          aria-labelledby="runs-chart"
          series={[
            { name: 'runs', color: 'indigo.6' },
            { name: 'failures', color: 'red.6' },
          ]}
          curveType="linear"
          withDots={false}
          tickLine="x"
        />
      </Card>
      <Card withBorder>
        <Text fw={600} mb="xs" id="lag-chart">
          Firing lag p99 (ms)
        </Text>
        <LineChart
          h={220}
          data={data}
          dataKey="time"
          aria-labelledby="lag-chart"
          series={[{ name: 'lag', label: 'lag p99 (ms)', color: 'teal.6' }]}
          curveType="linear"
          withDots={false}
          tickLine="x"
        />
      </Card>
    </SimpleGrid>
  );
}
