import { Card, Group, Select, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { Execution, ExecutionStatus, Job } from '../../api/client';
import { queries } from '../../api/keys';
import { ExecutionDetails } from '../../components/ExecutionDetails';
import { ExecutionTable } from '../../components/ExecutionTable';
import { Pager } from '../../components/Pager';
import { QueryState } from '../../layout/QueryState';

export const STATUSES: ExecutionStatus[] = [
  'running',
  'completed',
  'failed',
  'timeout',
  'interrupted',
];

/** The job's runs, newest first, filtered by status; updated live as runs start and end. */
export function History({ job }: { job: Job }) {
  const [status, setStatus] = useState<ExecutionStatus | null>(null);
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<Execution | null>(null);
  const history = useQuery(
    queries.jobExecutions(job.id, { page, limit: 10, ...(status ? { status } : {}) }),
  );
  return (
    <Card withBorder>
      <Group justify="space-between" mb="xs">
        <Text fw={600}>History</Text>
        <Select
          label="Status"
          placeholder="Any"
          clearable
          size="xs"
          data={STATUSES}
          value={status}
          onChange={(v) => {
            setStatus(v);
            setPage(1);
          }}
        />
      </Group>
      <QueryState query={history}>
        {(data) =>
          data.executions.length === 0 ? (
            <Text size="sm" c="dimmed">
              No runs{status ? ` with status ${status}` : ''} yet. Runs appear here as they start.
            </Text>
          ) : (
            <>
              <ExecutionTable executions={data.executions} zone={job.timezone} onOpen={setOpen} />
              <Group mt="sm">
                <Pager total={data.pagination.totalPages} value={page} onChange={setPage} />
              </Group>
            </>
          )
        }
      </QueryState>
      <ExecutionDetails execution={open} zone={job.timezone} onClose={() => setOpen(null)} />
    </Card>
  );
}
