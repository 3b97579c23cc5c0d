import { Badge, Card, List, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { Job } from '../../api/client';
import { queries } from '../../api/keys';
import { QueryState } from '../../layout/QueryState';
import { formatIn, markDst, viewerZone } from '../../lib/time';

/** The next fire times from the API's preview, with the slots right after a DST change marked. */
export function NextSlots({ job }: { job: Job }) {
  const preview = useQuery(queries.preview(job.id, 8));
  const mine = viewerZone();
  return (
    <Card withBorder>
      <Text fw={600} mb="xs">
        Next runs ({job.timezone})
      </Text>
      <QueryState query={preview}>
        {(data) =>
          data.slots.length === 0 ? (
            <Text size="sm" c="dimmed">
              {job.isActive
                ? 'No further runs: the schedule has no slot left.'
                : 'None while the job is inactive. Activate it to schedule runs.'}
            </Text>
          ) : (
            <List spacing={6} size="sm" listStyleType="none" aria-label="Next runs">
              {markDst(data.slots).map((slot) => (
                <List.Item key={slot.at}>
                  <Stack gap={0}>
                    <Text size="sm">
                      {formatIn(slot.at, job.timezone)}{' '}
                      {slot.dst && (
                        <Badge size="xs" color="grape" title="The zone's UTC offset changed">
                          DST {slot.dst === 'forward' ? 'starts' : 'ends'} ({slot.offset})
                        </Badge>
                      )}
                    </Text>
                    {mine !== job.timezone && (
                      <Text size="xs" c="dimmed">
                        {formatIn(slot.at, mine)} (you)
                      </Text>
                    )}
                  </Stack>
                </List.Item>
              ))}
            </List>
          )
        }
      </QueryState>
    </Card>
  );
}
