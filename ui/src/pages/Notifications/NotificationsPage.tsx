import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Select,
  Stack,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { queries } from '../../api/keys';
import { Pager } from '../../components/Pager';
import { Time } from '../../components/Time';
import { ScrollTable } from '../../components/ScrollTable';
import { QueryState } from '../../layout/QueryState';
import { viewerZone } from '../../lib/time';
import { NotificationDetails } from './NotificationDetails';
import {
  filtersFrom,
  jobNameOf,
  NOTIFICATION_EVENTS,
  NOTIFICATION_STATUSES,
  STATUS_COLORS,
  type Notification,
} from './notifications';

/** Alerts sent (or being sent) to the channels, newest first, with each delivery's status. */
export default function NotificationsPage() {
  const [params, setParams] = useSearchParams();
  const filters = filtersFrom(params);
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<Notification | null>(null);
  const notifications = useQuery(queries.notifications({ page, limit: 20, ...filters }));
  const channels = useQuery(queries.channels());
  const channelName = new Map(channels.data?.channels.map((c) => [c.id, c.name]));
  const zone = viewerZone();

  const setFilter = (key: 'status' | 'event' | 'channel', value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) {
      next.set(key, value);
    } else {
      next.delete(key);
    }
    setParams(next, { replace: true });
    setPage(1);
  };

  return (
    <Stack>
      <Title order={1} size="h2">
        Notifications
      </Title>
      <Group align="start">
        <Select
          label="Status"
          placeholder="Any"
          clearable
          data={NOTIFICATION_STATUSES}
          value={filters.status ?? null}
          onChange={(v) => setFilter('status', v)}
        />
        <Select
          label="Event"
          placeholder="Any"
          clearable
          data={NOTIFICATION_EVENTS}
          value={filters.event ?? null}
          onChange={(v) => setFilter('event', v)}
        />
        <Select
          label="Channel"
          placeholder="Any"
          clearable
          data={channels.data?.channels.map((c) => ({ value: c.id, label: c.name })) ?? []}
          value={filters.channel ?? null}
          onChange={(v) => setFilter('channel', v)}
        />
      </Group>
      <QueryState query={notifications}>
        {({ notifications: list, pagination }) =>
          list.length === 0 ? (
            <Alert color="gray" title="No notifications">
              {Object.keys(filters).length > 0
                ? 'None match these filters: clear a filter to see more.'
                : "Nothing was sent yet. Add a channel under Notification channels, name it in a job's alerts, or send the channel a test."}
            </Alert>
          ) : (
            <>
              <ScrollTable label="Notifications" minWidth={900}>
                <Table striped>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Created</Table.Th>
                      <Table.Th>Event</Table.Th>
                      <Table.Th>Channel</Table.Th>
                      <Table.Th>Job</Table.Th>
                      <Table.Th>Status</Table.Th>
                      <Table.Th>Attempts</Table.Th>
                      <Table.Th>Last error</Table.Th>
                      <Table.Th>
                        <VisuallyHidden>Details</VisuallyHidden>
                      </Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {list.map((n) => (
                      <Table.Tr key={n.id} data-testid="notification-row">
                        <Table.Td>
                          <Time iso={n.createdAt} zone={zone} />
                        </Table.Td>
                        <Table.Td>{n.event}</Table.Td>
                        <Table.Td>
                          {channelName.get(n.channelId) ?? n.channelId.slice(0, 8)}
                        </Table.Td>
                        <Table.Td>
                          {n.jobId ? (
                            <Anchor component={Link} to={`/jobs/${n.jobId}`} size="sm">
                              {jobNameOf(n) ?? n.jobId.slice(0, 8)}
                            </Anchor>
                          ) : (
                            '—'
                          )}
                        </Table.Td>
                        <Table.Td>
                          <Badge variant="light" color={STATUS_COLORS[n.status]}>
                            {n.status}
                          </Badge>
                        </Table.Td>
                        <Table.Td>{n.attempts}</Table.Td>
                        <Table.Td>
                          <Text size="sm" lineClamp={2} style={{ wordBreak: 'break-word' }}>
                            {n.lastError ?? '—'}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          <Button size="xs" variant="default" onClick={() => setOpen(n)}>
                            Details
                          </Button>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </ScrollTable>
              {pagination.totalPages > 1 && (
                <Pager total={pagination.totalPages} value={page} onChange={setPage} />
              )}
            </>
          )
        }
      </QueryState>
      <NotificationDetails
        notification={open}
        channelName={open ? channelName.get(open.channelId) : undefined}
        onClose={() => setOpen(null)}
      />
    </Stack>
  );
}
