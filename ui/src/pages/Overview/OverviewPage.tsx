import { Card, Group, SegmentedControl, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { queries } from '../../api/keys';
import { QueryState } from '../../layout/QueryState';
import { ActivityCharts } from './ActivityCharts';
import { RecentFailures } from './RecentFailures';
import { UpcomingTimeline } from './UpcomingTimeline';

const WINDOWS = [
  { label: '1 h', value: '1' },
  { label: '6 h', value: '6' },
  { label: '24 h', value: '24' },
];

export default function OverviewPage() {
  const [hours, setHours] = useState('6');
  // About 60-100 points per chart, whatever the window.
  const bucketMinutes = { '1': 1, '6': 5, '24': 15 }[hours] ?? 5;
  const stats = useQuery(queries.stats());
  const activity = useQuery(queries.activity(Number(hours), bucketMinutes));

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          Overview
        </Title>
        <SegmentedControl
          aria-label="Time window"
          data={WINDOWS}
          value={hours}
          onChange={setHours}
        />
      </Group>
      <SimpleGrid cols={{ base: 2, md: 5 }}>
        <Figure label="Active jobs" value={stats.data?.activeJobs} />
        <Figure label="Inactive jobs" value={stats.data?.inactiveJobs} />
        <Figure
          label={`Failing jobs (${hours} h)`}
          value={activity.data?.totals.failingJobs}
          alert
        />
        <Figure label={`Runs (${hours} h)`} value={activity.data?.totals.firings} />
        <Figure label={`Failures (${hours} h)`} value={activity.data?.totals.failures} alert />
      </SimpleGrid>
      <QueryState query={activity}>{(data) => <ActivityCharts activity={data} />}</QueryState>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <UpcomingTimeline />
        <RecentFailures />
      </SimpleGrid>
    </Stack>
  );
}

function Figure({ label, value, alert }: { label: string; value?: number; alert?: boolean }) {
  return (
    <Card withBorder padding="sm">
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {label}
      </Text>
      <Text size="xl" fw={700} c={alert && value ? 'red.8' : undefined}>
        {value ?? '…'}
      </Text>
    </Card>
  );
}
