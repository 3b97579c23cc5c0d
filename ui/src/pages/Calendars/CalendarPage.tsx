import { Alert, Anchor, Card, Code, Group, List, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router';
import { api, call } from '../../api/client';
import { ifMatch } from '../../api/versions';
import { queries } from '../../api/keys';
import { useIsAdmin } from '../../auth/session';
import { ConfirmButton } from '../../components/ConfirmButton';
import { deleteErrorText } from '../../components/ErrorText';
import { Time } from '../../components/Time';
import { QueryState } from '../../layout/QueryState';
import { viewerZone } from '../../lib/time';
import { CalendarForm } from './CalendarForm';
import { emptyCalendar, formFromCalendar, type Calendar } from './calendarForm';

/** /calendars/new (admins) and /calendars/:id: the editor for admins, the rules for viewers. */
export default function CalendarPage() {
  const { id } = useParams();
  const admin = useIsAdmin();
  if (!id) {
    return admin ? (
      <Stack>
        <Title order={1} size="h2">
          New calendar
        </Title>
        <CalendarForm initial={emptyCalendar(viewerZone())} />
      </Stack>
    ) : (
      <Alert color="gray" title="Only admins create calendars">
        <Anchor component={Link} to="/calendars">
          Back to calendars
        </Anchor>
      </Alert>
    );
  }
  return <ExistingCalendar id={id} />;
}

function ExistingCalendar({ id }: { id: string }) {
  const admin = useIsAdmin();
  const calendar = useQuery(queries.calendar(id));
  return (
    <QueryState query={calendar}>
      {(c) => (
        <Stack>
          <Group justify="space-between">
            <Title order={1} size="h2">
              {c.name}
            </Title>
            {admin && <DeleteCalendar calendar={c} />}
          </Group>
          {admin ? (
            // Not keyed by version: a refetch after another admin's save must not wipe the edits
            // (the form's save then answers 412 and offers to reload).
            <CalendarForm key={c.id} calendar={c} initial={formFromCalendar(c)} />
          ) : (
            <CalendarRules calendar={c} />
          )}
          <UsedBy id={c.id} />
        </Stack>
      )}
    </QueryState>
  );
}

function CalendarRules({ calendar: c }: { calendar: Calendar }) {
  return (
    <Card withBorder>
      <Stack gap="xs">
        {c.description && <Text size="sm">{c.description}</Text>}
        <Text size="sm">
          Time zone: <Code>{c.timezone}</Code>
        </Text>
        <Text size="sm" fw={500}>
          Excluded dates
        </Text>
        {c.dates.length === 0 ? (
          <Text size="sm" c="dimmed">
            None
          </Text>
        ) : (
          <List size="sm" aria-label="Excluded dates">
            {c.dates.map((d) => (
              <List.Item key={d}>{d}</List.Item>
            ))}
          </List>
        )}
        <Text size="sm" fw={500}>
          Excluded ranges
        </Text>
        {c.ranges.length === 0 ? (
          <Text size="sm" c="dimmed">
            None
          </Text>
        ) : (
          <List size="sm" aria-label="Excluded ranges">
            {c.ranges.map((r) => (
              <List.Item key={`${r.from}-${r.to}`}>
                <Group gap="xs">
                  <Time iso={r.from} zone={c.timezone} /> to <Time iso={r.to} zone={c.timezone} />
                </Group>
              </List.Item>
            ))}
          </List>
        )}
      </Stack>
    </Card>
  );
}

/** The jobs that exclude this calendar: who an edit affects, what a delete waits for. */
function UsedBy({ id }: { id: string }) {
  const jobs = useQuery(queries.calendarJobs(id));
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="xs">
        Used by
      </Title>
      <QueryState query={jobs}>
        {({ jobs: list, total }) =>
          list.length === 0 ? (
            <Text size="sm" c="dimmed">
              No job excludes this calendar yet: add it to a job's "Exclude calendars".
            </Text>
          ) : (
            <Stack gap={4}>
              <List size="sm" aria-label="Jobs excluding this calendar">
                {list.map((j) => (
                  <List.Item key={j.id}>
                    <Anchor component={Link} to={`/jobs/${j.id}`}>
                      {j.name}
                    </Anchor>
                  </List.Item>
                ))}
              </List>
              {total > list.length && (
                <Text size="xs" c="dimmed">
                  and {total - list.length} more
                </Text>
              )}
            </Stack>
          )
        }
      </QueryState>
    </Card>
  );
}

function DeleteCalendar({ calendar }: { calendar: Calendar }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: () =>
      call(
        api.DELETE('/api/calendars/{id}', {
          params: { path: { id: calendar.id }, header: ifMatch(calendar.version) },
        }),
      ),
    onSuccess: async () => {
      notifications.show({ color: 'green', message: `Calendar ${calendar.name} deleted` });
      await queryClient.invalidateQueries({ queryKey: ['calendars'] });
      queryClient.removeQueries({ queryKey: ['calendar', calendar.id] });
      void navigate('/calendars');
    },
    // 409 names the jobs that still exclude it; 412: changed since shown, so show the latest.
    onError: (e) => {
      notifications.show({
        color: 'red',
        title: 'Not deleted',
        message: deleteErrorText(e, 'calendar'),
      });
      void queryClient.invalidateQueries({ queryKey: ['calendar', calendar.id] });
    },
  });
  return (
    <ConfirmButton
      color="red"
      variant="light"
      title={`Delete ${calendar.name}`}
      message="Jobs can no longer exclude it. A calendar that a job still excludes is not deleted: remove it from those jobs first."
      confirmLabel="Delete calendar"
      loading={remove.isPending}
      onConfirm={() => remove.mutate()}
    >
      Delete
    </ConfirmButton>
  );
}
