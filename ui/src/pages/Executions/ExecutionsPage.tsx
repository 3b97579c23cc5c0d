import { Group, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { Execution, ExecutionStatus } from '../../api/client';
import { queries, type ExecutionsQuery } from '../../api/keys';
import { ExecutionDetails } from '../../components/ExecutionDetails';
import { ExecutionTable } from '../../components/ExecutionTable';
import { Pager } from '../../components/Pager';
import { QueryState } from '../../layout/QueryState';
import { viewerZone } from '../../lib/time';
import { STATUSES } from '../Job/History';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A datetime-local value (the viewer's zone) as the API's ISO instant, or undefined. */
function instant(local: string): string | undefined {
  const d = new Date(local);
  return local && !Number.isNaN(d.getTime()) ? d.toISOString() : undefined;
}

/** Runs of every job, by status, job and started time; each one's output and error. */
export default function ExecutionsPage() {
  const [status, setStatus] = useState<ExecutionStatus | null>(null);
  const [jobId, setJobId] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<Execution | null>(null);
  const badJob = jobId.trim() !== '' && !UUID.test(jobId.trim());
  const query: ExecutionsQuery = {
    page,
    limit: 20,
    ...(status ? { status } : {}),
    ...(jobId.trim() && !badJob ? { jobId: jobId.trim() } : {}),
    ...(instant(from) ? { from: instant(from) } : {}),
    ...(instant(to) ? { to: instant(to) } : {}),
  };
  const executions = useQuery(queries.executions(query));
  const reset = () => setPage(1);

  return (
    <Stack>
      <Title order={1} size="h2">
        Executions
      </Title>
      <Group align="start">
        <Select
          label="Status"
          placeholder="Any"
          clearable
          data={STATUSES}
          value={status}
          onChange={(v) => {
            setStatus(v);
            reset();
          }}
        />
        <TextInput
          label="Job id"
          placeholder="UUID"
          value={jobId}
          error={badJob ? 'A job id is a UUID' : undefined}
          onChange={(e) => {
            setJobId(e.currentTarget.value);
            reset();
          }}
        />
        <TextInput
          type="datetime-local"
          label="Started from"
          value={from}
          onChange={(e) => {
            setFrom(e.currentTarget.value);
            reset();
          }}
        />
        <TextInput
          type="datetime-local"
          label="Started until"
          value={to}
          onChange={(e) => {
            setTo(e.currentTarget.value);
            reset();
          }}
        />
      </Group>
      <QueryState query={executions}>
        {(data) =>
          data.executions.length === 0 ? (
            <Text c="dimmed">No executions match. Widen the time range or clear the filters.</Text>
          ) : (
            <>
              <ExecutionTable
                executions={data.executions}
                zone={viewerZone()}
                onOpen={setOpen}
                showJob
              />
              <Group justify="space-between">
                <Text size="sm" c="dimmed">
                  {data.pagination.total} executions
                </Text>
                <Pager total={data.pagination.totalPages} value={page} onChange={setPage} />
              </Group>
            </>
          )
        }
      </QueryState>
      <ExecutionDetails execution={open} zone={viewerZone()} onClose={() => setOpen(null)} />
    </Stack>
  );
}
