import { Anchor, Card, Text, Timeline } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { queries } from '../../api/keys';
import { QueryState } from '../../layout/QueryState';
import { formatIn, viewerZone } from '../../lib/time';

/** The soonest slots of the next hour across all jobs (GET /api/jobs/upcoming). */
export function UpcomingTimeline() {
  const upcoming = useQuery(queries.upcoming(60, 15));
  return (
    <Card withBorder>
      <Text fw={600} mb="sm">
        Next hour
      </Text>
      <QueryState query={upcoming}>
        {(data) =>
          data.slots.length === 0 ? (
            <Text size="sm" c="dimmed">
              Nothing is due in the next hour. Active jobs with a slot in the hour show here.
            </Text>
          ) : (
            <Timeline bulletSize={12} lineWidth={2}>
              {data.slots.map((slot) => (
                <Timeline.Item
                  key={`${slot.jobId}-${slot.at}`}
                  title={
                    <Anchor component={Link} to={`/jobs/${slot.jobId}`} size="sm">
                      {slot.jobName}
                    </Anchor>
                  }
                >
                  <Text size="xs" c="dimmed">
                    {formatIn(slot.at, viewerZone())}
                    {slot.timezone !== viewerZone() && ` · ${formatIn(slot.at, slot.timezone)}`}
                  </Text>
                </Timeline.Item>
              ))}
            </Timeline>
          )
        }
      </QueryState>
    </Card>
  );
}
