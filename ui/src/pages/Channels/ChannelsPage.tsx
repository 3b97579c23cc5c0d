import { Alert, Badge, Button, Group, Modal, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, call } from '../../api/client';
import { ifMatch } from '../../api/versions';
import { queries } from '../../api/keys';
import { useIsAdmin } from '../../auth/session';
import { ConfirmButton } from '../../components/ConfirmButton';
import { deleteErrorText, errorText } from '../../components/ErrorText';
import { Time } from '../../components/Time';
import { ScrollTable } from '../../components/ScrollTable';
import { QueryState } from '../../layout/QueryState';
import { viewerZone } from '../../lib/time';
import { ChannelForm } from './ChannelForm';
import type { Channel } from './channelForm';

/** Where alerts go: webhooks and Slack. Admins create, edit, test and delete them. */
export default function ChannelsPage() {
  const admin = useIsAdmin();
  const channels = useQuery(queries.channels());
  // null: closed; 'new': the create form; a channel: its edit form.
  const [editing, setEditing] = useState<Channel | 'new' | null>(null);
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          Notification channels
        </Title>
        {admin && <Button onClick={() => setEditing('new')}>New channel</Button>}
      </Group>
      <Text size="sm" c="dimmed">
        A job names channels in its alerts; failures, recoveries, auto-pauses and missed runs are
        delivered to them (see Notifications).
      </Text>
      <QueryState query={channels}>
        {({ channels: list }) =>
          list.length === 0 ? (
            <Alert color="gray" title="No channels yet">
              {admin
                ? 'Create one with "New channel", send it a test, then name it in a job\'s alerts.'
                : 'An admin can add webhook or Slack channels for alerts.'}
            </Alert>
          ) : (
            <ScrollTable label="Channels" minWidth={640}>
              <Table striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Name</Table.Th>
                    <Table.Th>Type</Table.Th>
                    <Table.Th>URL</Table.Th>
                    <Table.Th>Secret</Table.Th>
                    <Table.Th>Updated</Table.Th>
                    {admin && <Table.Th>Actions</Table.Th>}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {list.map((c) => (
                    <Table.Tr key={c.id} data-testid="channel-row">
                      <Table.Td>{c.name}</Table.Td>
                      <Table.Td>
                        <Badge variant="light" color={c.type === 'slack' ? 'grape' : 'blue'}>
                          {c.type}
                        </Badge>
                      </Table.Td>
                      <Table.Td style={{ wordBreak: 'break-all' }}>{c.url}</Table.Td>
                      <Table.Td>{c.hasSecret ? 'set' : 'none'}</Table.Td>
                      <Table.Td>
                        <Time iso={c.updatedAt} zone={viewerZone()} />
                      </Table.Td>
                      {admin && (
                        <Table.Td>
                          <ChannelActions channel={c} onEdit={() => setEditing(c)} />
                        </Table.Td>
                      )}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollTable>
          )
        }
      </QueryState>
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === 'new' ? 'New channel' : `Edit ${editing?.name ?? ''}`}
      >
        {editing !== null && (
          <ChannelForm
            channel={editing === 'new' ? undefined : editing}
            onDone={() => setEditing(null)}
          />
        )}
      </Modal>
    </Stack>
  );
}

function ChannelActions({ channel, onEdit }: { channel: Channel; onEdit: () => void }) {
  const queryClient = useQueryClient();
  const path = { params: { path: { id: channel.id } } };
  const test = useMutation({
    mutationFn: () => call(api.POST('/api/channels/{id}/test', path)),
    onSuccess: () => {
      notifications.show({
        color: 'green',
        title: `Test queued for ${channel.name}`,
        message: 'Follow its delivery under Notifications.',
      });
      void queryClient.invalidateQueries({ queryKey: ['notifications'] });
    },
    onError: (e) => notifications.show({ color: 'red', message: errorText(e) }),
  });
  const remove = useMutation({
    mutationFn: () =>
      call(
        api.DELETE('/api/channels/{id}', {
          params: { path: { id: channel.id }, header: ifMatch(channel.version) },
        }),
      ),
    onSuccess: () =>
      notifications.show({ color: 'green', message: `Channel ${channel.name} deleted` }),
    // 409 while a job names it in its alerts; 412 when changed since shown (the list refetches).
    onError: (e) =>
      notifications.show({
        color: 'red',
        title: 'Not deleted',
        message: deleteErrorText(e, 'channel'),
      }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['channels'] }),
  });
  return (
    <Group gap="xs" wrap="nowrap">
      <Button size="xs" variant="default" onClick={onEdit} aria-label={`Edit ${channel.name}`}>
        Edit
      </Button>
      <Button
        size="xs"
        variant="light"
        loading={test.isPending}
        onClick={() => test.mutate()}
        aria-label={`Send test to ${channel.name}`}
      >
        Send test
      </Button>
      <ConfirmButton
        size="xs"
        color="red"
        variant="light"
        aria-label={`Delete ${channel.name}`}
        title={`Delete ${channel.name}`}
        message="Alerts are no longer sent there. A channel that a job still names in its alerts is not deleted: remove it from those jobs first."
        confirmLabel="Delete channel"
        loading={remove.isPending}
        onConfirm={() => remove.mutate()}
      >
        Delete
      </ConfirmButton>
    </Group>
  );
}
