import { Anchor, Button, Table, Text, VisuallyHidden } from '@mantine/core';
import { Link } from 'react-router';
import type { Execution } from '../api/client';
import { formatDuration } from '../lib/time';
import { StatusBadge } from './StatusBadge';
import { Time } from './Time';

/** Executions as rows; "Details" opens one (output and error). */
export function ExecutionTable({
  executions,
  zone,
  onOpen,
  showJob,
}: {
  executions: Execution[];
  zone: string;
  onOpen: (e: Execution) => void;
  showJob?: boolean;
}) {
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Status</Table.Th>
            {showJob && <Table.Th>Job</Table.Th>}
            <Table.Th>Trigger</Table.Th>
            <Table.Th>Started</Table.Th>
            <Table.Th>Duration</Table.Th>
            <Table.Th>Error</Table.Th>
            <Table.Th>
              <VisuallyHidden>Details</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {executions.map((e) => (
            <Table.Tr key={e.id} data-testid="execution-row">
              <Table.Td>
                <StatusBadge status={e.status} />
              </Table.Td>
              {showJob && (
                <Table.Td>
                  <Anchor component={Link} to={`/jobs/${e.jobId}`} size="sm" ff="monospace">
                    {e.jobId.slice(0, 8)}
                  </Anchor>
                </Table.Td>
              )}
              <Table.Td>{e.trigger}</Table.Td>
              <Table.Td>
                <Time iso={e.startedAt} zone={zone} />
              </Table.Td>
              <Table.Td>{formatDuration(e.durationMs)}</Table.Td>
              <Table.Td>
                <Text size="sm" lineClamp={1} maw={260}>
                  {e.errorMessage ?? '—'}
                </Text>
              </Table.Td>
              <Table.Td>
                <Button size="compact-xs" variant="subtle" onClick={() => onOpen(e)}>
                  Details
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
