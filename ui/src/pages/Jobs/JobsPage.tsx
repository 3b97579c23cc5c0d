import {
  Anchor,
  Button,
  Checkbox,
  Group,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useIsAdmin } from '../../auth/session';
import { queries, type JobsQuery } from '../../api/keys';
import { ActiveBadge } from '../../components/StatusBadge';
import { Time } from '../../components/Time';
import { Pager } from '../../components/Pager';
import { QueryState } from '../../layout/QueryState';
import { BulkActions } from './BulkActions';

const TYPES = ['scheduled', 'recurring', 'delayed', 'immediate'] as const;
const PAGE_SIZE = 20;

/** The list's filters live in the URL, so a filtered page can be bookmarked and shared. */
export function jobsQueryFrom(params: URLSearchParams, search: string): JobsQuery {
  const type = params.get('type');
  const active = params.get('active');
  return {
    page: Number(params.get('page') ?? '1') || 1,
    limit: PAGE_SIZE,
    ...(search ? { search } : {}),
    ...(type && (TYPES as readonly string[]).includes(type)
      ? { jobType: type as JobsQuery['jobType'] }
      : {}),
    ...(active === 'true' || active === 'false' ? { isActive: active } : {}),
  };
}

export default function JobsPage() {
  const admin = useIsAdmin();
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState(params.get('q') ?? '');
  const [debounced] = useDebouncedValue(search.trim(), 300);
  const query = jobsQueryFrom(params, debounced);
  const jobs = useQuery(queries.jobs(query));
  const [selected, setSelected] = useState<string[]>([]);

  const setParam = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) {
      next.set(key, value);
    } else {
      next.delete(key);
    }
    if (key !== 'page') {
      next.delete('page');
    }
    setParams(next, { replace: true });
    setSelected([]);
  };

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          Jobs
        </Title>
        {admin && (
          <Button component={Link} to="/jobs/new">
            New job
          </Button>
        )}
      </Group>
      <Group align="end">
        <TextInput
          label="Search"
          placeholder="Name or description"
          value={search}
          onChange={(e) => {
            setSearch(e.currentTarget.value);
            setParam('q', e.currentTarget.value || null);
          }}
        />
        <Select
          label="Type"
          placeholder="Any"
          clearable
          data={[...TYPES]}
          value={params.get('type')}
          onChange={(v) => setParam('type', v)}
        />
        <Select
          label="State"
          placeholder="Any"
          clearable
          data={[
            { value: 'true', label: 'Active' },
            { value: 'false', label: 'Inactive' },
          ]}
          value={params.get('active')}
          onChange={(v) => setParam('active', v)}
        />
      </Group>
      {admin && <BulkActions ids={selected} onDone={() => setSelected([])} />}
      <QueryState query={jobs}>
        {(data) =>
          data.jobs.length === 0 ? (
            <Text c="dimmed">
              No jobs match. {admin ? 'Clear the filters or create a job.' : 'Clear the filters.'}
            </Text>
          ) : (
            <>
              <Table.ScrollContainer minWidth={720}>
                <Table striped highlightOnHover>
                  <Table.Thead>
                    <Table.Tr>
                      {admin && (
                        <Table.Th>
                          <Checkbox
                            aria-label="Select all jobs on this page"
                            checked={selected.length === data.jobs.length}
                            indeterminate={
                              selected.length > 0 && selected.length < data.jobs.length
                            }
                            onChange={(e) =>
                              setSelected(e.currentTarget.checked ? data.jobs.map((j) => j.id) : [])
                            }
                          />
                        </Table.Th>
                      )}
                      <Table.Th>Name</Table.Th>
                      <Table.Th>Type</Table.Th>
                      <Table.Th>Schedule</Table.Th>
                      <Table.Th>State</Table.Th>
                      <Table.Th>Next run</Table.Th>
                      <Table.Th>Runs</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {data.jobs.map((job) => (
                      <Table.Tr key={job.id}>
                        {admin && (
                          <Table.Td>
                            <Checkbox
                              aria-label={`Select ${job.name}`}
                              checked={selected.includes(job.id)}
                              onChange={(e) =>
                                setSelected(
                                  e.currentTarget.checked
                                    ? [...selected, job.id]
                                    : selected.filter((id) => id !== job.id),
                                )
                              }
                            />
                          </Table.Td>
                        )}
                        <Table.Td>
                          <Anchor component={Link} to={`/jobs/${job.id}`}>
                            {job.name}
                          </Anchor>
                        </Table.Td>
                        <Table.Td>{job.jobType}</Table.Td>
                        <Table.Td>
                          <Text size="sm" ff="monospace">
                            {job.intervalMs
                              ? `every ${job.intervalMs / 1000} s`
                              : (job.cronExpression ?? job.runAt ?? '—')}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          <ActiveBadge
                            active={job.isActive}
                            pausedAt={job.pausedAt}
                            pauseNote={job.pauseNote}
                          />
                        </Table.Td>
                        <Table.Td>
                          <Time iso={job.nextRunAt} zone={job.timezone} />
                        </Table.Td>
                        <Table.Td>
                          {job.statistics.totalRuns} ({job.statistics.failedRuns} failed)
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
              <Group justify="space-between">
                <Text size="sm" c="dimmed">
                  {data.pagination.total} jobs
                </Text>
                <Pager
                  total={data.pagination.totalPages}
                  value={data.pagination.page}
                  onChange={(p) => setParam('page', String(p))}
                />
              </Group>
            </>
          )
        }
      </QueryState>
    </Stack>
  );
}
