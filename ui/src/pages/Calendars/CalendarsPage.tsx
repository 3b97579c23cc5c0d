import { Alert, Anchor, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { queries } from '../../api/keys';
import { useIsAdmin } from '../../auth/session';
import { Pager } from '../../components/Pager';
import { Time } from '../../components/Time';
import { ScrollTable } from '../../components/ScrollTable';
import { QueryState } from '../../layout/QueryState';

/** Exclusion calendars: the days and stretches of time the jobs that name them do not fire. */
export default function CalendarsPage() {
  const admin = useIsAdmin();
  const [page, setPage] = useState(1);
  const calendars = useQuery(queries.calendars(page));
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          Calendars
        </Title>
        {admin && (
          <Button component={Link} to="/calendars/new">
            New calendar
          </Button>
        )}
      </Group>
      <Text size="sm" c="dimmed">
        A job skips the slots that fall on a calendar's dates or inside its ranges when it lists the
        calendar under "Exclude calendars".
      </Text>
      <QueryState query={calendars}>
        {({ calendars: list, pagination }) =>
          list.length === 0 ? (
            <Alert color="gray" title="No calendars yet">
              {admin
                ? 'Create one with "New calendar" (holidays, maintenance windows), then name it in a job.'
                : 'An admin can create calendars (holidays, maintenance windows) for jobs to skip.'}
            </Alert>
          ) : (
            <>
              <ScrollTable label="Calendars" minWidth={560}>
                <Table striped>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Name</Table.Th>
                      <Table.Th>Time zone</Table.Th>
                      <Table.Th>Dates</Table.Th>
                      <Table.Th>Ranges</Table.Th>
                      <Table.Th>Updated</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {list.map((c) => (
                      <Table.Tr key={c.id}>
                        <Table.Td>
                          <Anchor component={Link} to={`/calendars/${c.id}`}>
                            {c.name}
                          </Anchor>
                          {c.description && (
                            <Text size="xs" c="dimmed" lineClamp={1}>
                              {c.description}
                            </Text>
                          )}
                        </Table.Td>
                        <Table.Td>{c.timezone}</Table.Td>
                        <Table.Td>{c.dates.length}</Table.Td>
                        <Table.Td>{c.ranges.length}</Table.Td>
                        <Table.Td>
                          <Time iso={c.updatedAt} zone={c.timezone} />
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
    </Stack>
  );
}
