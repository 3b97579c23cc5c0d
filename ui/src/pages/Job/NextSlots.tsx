import { Card, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { Job } from '../../api/client';
import { QueryState } from '../../layout/QueryState';
import { jobQueries } from './jobQueries';
import { SlotList } from './SlotList';

/**
 * The next fire times from the API's preview, with the slots the rule has but will not fire
 * (a calendar, the window, a pause) and DST changes marked.
 */
export function NextSlots({ job }: { job: Job }) {
  const preview = useQuery(jobQueries.plan(job.id, 8));
  const calendars = useQuery({
    ...jobQueries.calendars(),
    enabled: job.excludeCalendars.length > 0,
  });
  const excluded = (calendars.data?.calendars ?? []).filter((c) =>
    job.excludeCalendars.includes(c.id),
  );
  return (
    <Card withBorder>
      <Text fw={600} mb="xs">
        Next runs ({job.timezone})
      </Text>
      <QueryState query={preview}>
        {(data) => (
          <>
            <Text size="sm" mb="xs">
              {data.description}
            </Text>
            {data.slots.length === 0 ? (
              <Text size="sm" c="dimmed">
                {job.pausedAt
                  ? 'None while the job is paused. Resume it to schedule runs.'
                  : job.isActive
                    ? 'No further runs: the schedule has no slot left.'
                    : 'None while the job is inactive. Activate it to schedule runs.'}
              </Text>
            ) : (
              <SlotList
                slots={data.slots}
                zone={job.timezone}
                calendars={excluded}
                label="Next runs"
              />
            )}
          </>
        )}
      </QueryState>
    </Card>
  );
}
