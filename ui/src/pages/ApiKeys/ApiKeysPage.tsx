import { Alert, Badge, Code, Stack, Table, Text, Title } from '@mantine/core';
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
import { keyState, type ApiKey, type KeyState } from './apiKeys';
import { CreateApiKey } from './CreateApiKey';

const STATE_COLORS: Record<KeyState, string> = {
  active: 'green',
  expired: 'orange',
  revoked: 'gray',
};

/** Admins: keys for machines (CI, other services), sent as bearer tokens. */
export default function ApiKeysPage() {
  const admin = useIsAdmin();
  const keys = useQuery({ ...queries.apiKeys(), enabled: admin });
  if (!admin) {
    return <Title order={1}>Only admins manage API keys.</Title>;
  }
  const zone = viewerZone();
  const now = new Date();
  return (
    <Stack>
      <Title order={1} size="h2">
        API keys
      </Title>
      <Text size="sm" c="dimmed">
        A key acts with its role like a user. Send it as{' '}
        <Code>Authorization: Bearer &lt;key&gt;</Code>.
      </Text>
      <CreateApiKey />
      <QueryState query={keys}>
        {(list) =>
          list.length === 0 ? (
            <Alert color="gray" title="No API keys yet">
              Create one above for a pipeline or a service that calls the API.
            </Alert>
          ) : (
            <ScrollTable label="API keys" minWidth={760}>
              <Table striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Name</Table.Th>
                    <Table.Th>Prefix</Table.Th>
                    <Table.Th>Role</Table.Th>
                    <Table.Th>State</Table.Th>
                    <Table.Th>Created</Table.Th>
                    <Table.Th>Expires</Table.Th>
                    <Table.Th>Last used</Table.Th>
                    <Table.Th>Actions</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {list.map((k) => {
                    const state = keyState(k, now);
                    return (
                      <Table.Tr key={k.id} data-testid="api-key-row">
                        <Table.Td>{k.name}</Table.Td>
                        <Table.Td>
                          <Code>{k.prefix}</Code>
                        </Table.Td>
                        <Table.Td>{k.role}</Table.Td>
                        <Table.Td>
                          <Badge variant="light" color={STATE_COLORS[state]}>
                            {state}
                          </Badge>
                        </Table.Td>
                        <Table.Td>
                          <Time iso={k.createdAt} zone={zone} />
                        </Table.Td>
                        <Table.Td>
                          {k.expiresAt ? <Time iso={k.expiresAt} zone={zone} /> : 'never'}
                        </Table.Td>
                        <Table.Td>
                          {k.lastUsedAt ? <Time iso={k.lastUsedAt} zone={zone} /> : 'never'}
                        </Table.Td>
                        <Table.Td>{state !== 'revoked' && <RevokeKey apiKey={k} />}</Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </ScrollTable>
          )
        }
      </QueryState>
    </Stack>
  );
}

function RevokeKey({ apiKey }: { apiKey: ApiKey }) {
  const queryClient = useQueryClient();
  const revoke = useMutation({
    mutationFn: () =>
      call(api.DELETE('/api/api-keys/{id}', { params: { path: { id: apiKey.id } } })),
    onSuccess: () => notifications.show({ color: 'green', message: `${apiKey.name} revoked` }),
    onError: (e) => notifications.show({ color: 'red', message: errorText(e) }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['api-keys'] }),
  });
  return (
    <ConfirmButton
      size="xs"
      color="red"
      variant="light"
      aria-label={`Revoke ${apiKey.name}`}
      title={`Revoke ${apiKey.name}`}
      message={`Requests with ${apiKey.prefix}… are refused from now on, on every replica. This cannot be undone: whoever uses it needs a new key.`}
      confirmLabel="Revoke key"
      loading={revoke.isPending}
      onConfirm={() => revoke.mutate()}
    >
      Revoke
    </ConfirmButton>
  );
}
