import { Alert, Badge, Code, Group, Modal, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from '../../api/client';
import { queries } from '../../api/keys';
import { useIsAdmin } from '../../auth/session';
import { ConfirmButton } from '../../components/ConfirmButton';
import { errorText } from '../../components/ErrorText';
import { Time } from '../../components/Time';
import { ScrollTable } from '../../components/ScrollTable';
import { QueryState } from '../../layout/QueryState';
import { viewerZone } from '../../lib/time';
import { replayableExecution, STATUS_COLORS, type Notification } from './notifications';

/** One notification: what was sent, every delivery attempt, and (admins) a replay of its run. */
export function NotificationDetails({
  notification,
  channelName,
  onClose,
}: {
  notification: Notification | null;
  channelName?: string;
  onClose: () => void;
}) {
  return (
    <Modal opened={notification !== null} onClose={onClose} title="Notification" size="lg">
      {notification && <Details id={notification.id} channelName={channelName} />}
    </Modal>
  );
}

function Details({ id, channelName }: { id: string; channelName?: string }) {
  const admin = useIsAdmin();
  const one = useQuery(queries.notification(id));
  const zone = viewerZone();
  return (
    <QueryState query={one}>
      {(n) => {
        const replayable = replayableExecution(n);
        return (
          <Stack>
            <Group gap="xs">
              <Badge variant="light" color={STATUS_COLORS[n.status]}>
                {n.status}
              </Badge>
              <Text size="sm">
                {n.event} to {channelName ?? n.channelId}
              </Text>
            </Group>
            {n.status === 'pending' && n.attempts > 0 && (
              <Text size="sm">
                Next attempt: <Time iso={n.nextAttemptAt} zone={zone} />
              </Text>
            )}
            {n.lastError && (
              <Alert color="red" title="Last error">
                <Text size="sm" style={{ wordBreak: 'break-word' }}>
                  {n.lastError}
                </Text>
              </Alert>
            )}
            <Text size="sm" fw={500}>
              Attempts
            </Text>
            {(n.attemptLog ?? []).length === 0 ? (
              <Text size="sm" c="dimmed">
                Not attempted yet.
              </Text>
            ) : (
              <ScrollTable label="Delivery attempts" minWidth={480}>
                <Table>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>#</Table.Th>
                      <Table.Th>Started</Table.Th>
                      <Table.Th>Replica</Table.Th>
                      <Table.Th>HTTP</Table.Th>
                      <Table.Th>Error</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {(n.attemptLog ?? []).map((a) => (
                      <Table.Tr key={a.attempt}>
                        <Table.Td>{a.attempt}</Table.Td>
                        <Table.Td>
                          <Time iso={a.startedAt} zone={zone} />
                        </Table.Td>
                        <Table.Td>{a.replicaId ?? '—'}</Table.Td>
                        <Table.Td>{a.httpStatus ?? '—'}</Table.Td>
                        <Table.Td style={{ wordBreak: 'break-word' }}>
                          {a.error ?? 'delivered'}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </ScrollTable>
            )}
            <Text size="sm" fw={500}>
              Payload
            </Text>
            <Code block tabIndex={0} aria-label="Payload">
              {JSON.stringify(n.payload, null, 2)}
            </Code>
            {admin && replayable && <Replay executionId={replayable} />}
          </Stack>
        );
      }}
    </QueryState>
  );
}

/** A dead letter runs once more (trigger "replay"); a second replay of it is refused (409). */
function Replay({ executionId }: { executionId: string }) {
  const queryClient = useQueryClient();
  const replay = useMutation({
    mutationFn: () =>
      call(api.POST('/api/executions/{id}/replay', { params: { path: { id: executionId } } })),
    onSuccess: (r) => {
      notifications.show({ color: 'green', message: `Replay of ${r.jobName} started` });
      void queryClient.invalidateQueries({ queryKey: ['executions'] });
    },
    onError: (e) =>
      notifications.show({ color: 'red', title: 'Not replayed', message: errorText(e) }),
  });
  return (
    <Group justify="flex-end">
      <ConfirmButton
        variant="light"
        title="Replay the failed run"
        message="The run this alert is about failed for good. It runs once more now, as a new execution (trigger replay); a run can be replayed only once."
        confirmLabel="Replay run"
        confirmColor="indigo"
        loading={replay.isPending}
        onConfirm={() => replay.mutate()}
      >
        Replay run
      </ConfirmButton>
    </Group>
  );
}
