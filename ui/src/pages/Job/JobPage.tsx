import { Anchor, Badge, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { queries } from '../../api/keys';
import { useIsAdmin } from '../../auth/session';
import { ActiveBadge } from '../../components/StatusBadge';
import { QueryState } from '../../layout/QueryState';
import { Definition } from './Definition';
import { DurationChart } from './DurationChart';
import { History } from './History';
import { JobActions } from './JobActions';
import { NextSlots } from './NextSlots';
import { PausedNotice } from './PauseControls';
import { Statistics } from './Statistics';

export default function JobPage() {
  const { id = '' } = useParams();
  const admin = useIsAdmin();
  const detail = useQuery(queries.job(id));
  return (
    <QueryState query={detail}>
      {({ job, isScheduled }) => (
        <Stack>
          <Anchor component={Link} to="/jobs" size="sm">
            ← Jobs
          </Anchor>
          <Group justify="space-between" align="start">
            <Group>
              <Title order={1} size="h2">
                {job.name}
              </Title>
              <ActiveBadge
                active={job.isActive}
                pausedAt={job.pausedAt}
                pauseNote={job.pauseNote}
              />
              {isScheduled && (
                <Badge variant="outline" color="indigo">
                  timer armed
                </Badge>
              )}
            </Group>
            {admin && <JobActions job={job} />}
          </Group>
          {job.description && <Text c="dimmed">{job.description}</Text>}
          <PausedNotice job={job} />
          <SimpleGrid cols={{ base: 1, md: 3 }}>
            <Definition job={job} />
            <NextSlots job={job} />
            <Statistics job={job} />
          </SimpleGrid>
          <DurationChart jobId={job.id} />
          <History job={job} />
        </Stack>
      )}
    </QueryState>
  );
}
