import { Anchor, Card, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { queries } from '../../api/keys';
import { StatusBadge } from '../../components/StatusBadge';
import { QueryState } from '../../layout/QueryState';
import { formatIn, viewerZone } from '../../lib/time';

export function RecentFailures() {
  const failed = useQuery(queries.executions({ status: 'failed', limit: 8 }));
  return (
    <Card withBorder>
      <Text fw={600} mb="sm">
        Recent failures
      </Text>
      <QueryState query={failed}>
        {(data) =>
          data.executions.length === 0 ? (
            <Text size="sm" c="dimmed">
              No failed runs. Failures appear here as soon as they happen.
            </Text>
          ) : (
            <Table.ScrollContainer minWidth={480}>
              <Table>
                <Table.Tbody>
                  {data.executions.map((e) => (
                    <Table.Tr key={e.id}>
                      <Table.Td>
                        <Anchor component={Link} to={`/jobs/${e.jobId}`} size="sm">
                          {formatIn(e.startedAt, viewerZone())}
                        </Anchor>
                      </Table.Td>
                      <Table.Td w={110}>
                        <StatusBadge status={e.status} />
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" lineClamp={1}>
                          {e.errorMessage ?? '—'}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )
        }
      </QueryState>
    </Card>
  );
}
