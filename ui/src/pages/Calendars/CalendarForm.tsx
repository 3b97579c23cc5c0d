import {
  ActionIcon,
  Button,
  Card,
  Group,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Controller, useFieldArray, useForm } from 'react-hook-form';
import { useNavigate } from 'react-router';
import { api, call } from '../../api/client';
import { queries } from '../../api/keys';
import { ChangedElsewhere } from '../../components/ChangedElsewhere';
import { placeFieldErrors } from '../../components/fieldErrors';
import { NotSaved } from '../../components/NotSaved';
import { useVersionedEdit } from '../../components/useVersionedEdit';
import { viewerZone } from '../../lib/time';
import {
  bodyFromCalendarForm,
  calendarFieldOf,
  formFromCalendar,
  type Calendar,
  type CalendarFormValues,
} from './calendarForm';

// Intl's list leaves out the alias UTC, which is what a browser set to UTC reports as its zone.
const ZONES = ['UTC', ...Intl.supportedValuesOf('timeZone').filter((z) => z !== 'UTC')];

/**
 * Create or edit a calendar. The API is the validator: its 400 `details` go beside the fields
 * they name (calendarFieldOf), anything unplaced into the alert above the buttons.
 */
export function CalendarForm({
  initial,
  calendar,
}: {
  initial: CalendarFormValues;
  calendar?: Calendar;
}) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [problem, setProblem] = useState<string | null>(null);
  const { register, control, handleSubmit, setError, formState, reset } =
    useForm<CalendarFormValues>({ defaultValues: initial });
  const edit = useVersionedEdit(
    calendar,
    () => queryClient.fetchQuery({ ...queries.calendar(calendar?.id ?? ''), staleTime: 0 }),
    (fresh) => reset(formFromCalendar(fresh)),
  );
  const ranges = useFieldArray({ control, name: 'ranges' });

  const save = useMutation({
    mutationFn: (values: CalendarFormValues) => {
      const body = bodyFromCalendarForm(values);
      return calendar
        ? call(
            api.PUT('/api/calendars/{id}', {
              params: { path: { id: calendar.id }, header: edit.header },
              body,
            }),
          )
        : call(api.POST('/api/calendars', { body }));
    },
    onSuccess: async (saved) => {
      // The form stays open on an edit: the next save is based on this one.
      if (calendar) {
        edit.saved(saved);
        reset(formFromCalendar(saved));
      }
      await queryClient.invalidateQueries({ queryKey: ['calendars'] });
      await queryClient.invalidateQueries({ queryKey: ['calendar', saved.id] });
      notifications.show({ color: 'green', message: `Calendar ${saved.name} saved` });
      void navigate(`/calendars/${saved.id}`);
    },
    onError: (e) => {
      if (!edit.caught(e)) {
        setProblem(placeFieldErrors(e, calendarFieldOf, setError));
      }
    },
  });

  const errors = formState.errors;
  const zone = viewerZone();
  return (
    <Card withBorder>
      <form
        noValidate
        onSubmit={(e) =>
          void handleSubmit((v) => {
            setProblem(null);
            save.mutate(v);
          })(e)
        }
      >
        <Stack>
          <TextInput label="Name" required error={errors.name?.message} {...register('name')} />
          <Textarea
            label="Description"
            autosize
            error={errors.description?.message}
            {...register('description')}
          />
          <Controller
            control={control}
            name="timezone"
            render={({ field }) => (
              <Select
                label="Time zone"
                description="The zone the dates are local to"
                searchable
                data={ZONES}
                allowDeselect={false}
                error={errors.timezone?.message}
                {...field}
                onChange={(v) => field.onChange(v ?? 'UTC')}
              />
            )}
          />
          <Textarea
            label="Excluded dates"
            description="One date per line, written YYYY-MM-DD; each excludes that whole local day"
            placeholder={'2026-12-25\n2026-12-26'}
            autosize
            minRows={3}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            error={errors.dates?.message}
            {...register('dates')}
          />
          <Stack gap="xs">
            <Text size="sm" fw={500} id="ranges-label">
              Excluded ranges
            </Text>
            <Text size="xs" c="dimmed">
              From (included) to (not included), in your time zone ({zone}).
            </Text>
            {errors.ranges?.message && (
              <Text size="xs" c="red" role="alert">
                {errors.ranges.message}
              </Text>
            )}
            {ranges.fields.length === 0 && (
              <Text size="sm" c="dimmed">
                No ranges: add one for a maintenance window or a holiday season.
              </Text>
            )}
            {ranges.fields.map((r, i) => (
              <Group
                key={r.id}
                align="start"
                wrap="wrap"
                aria-label={`Range ${i + 1}`}
                role="group"
              >
                <TextInput
                  type="datetime-local"
                  label={`Range ${i + 1} from`}
                  error={errors.ranges?.[i]?.from?.message}
                  {...register(`ranges.${i}.from`)}
                />
                <TextInput
                  type="datetime-local"
                  label={`Range ${i + 1} to`}
                  error={errors.ranges?.[i]?.to?.message}
                  {...register(`ranges.${i}.to`)}
                />
                <ActionIcon
                  variant="subtle"
                  color="red"
                  mt={28}
                  aria-label={`Remove range ${i + 1}`}
                  onClick={() => ranges.remove(i)}
                >
                  ✕
                </ActionIcon>
              </Group>
            ))}
            <Group>
              <Button variant="light" size="xs" onClick={() => ranges.append({ from: '', to: '' })}>
                Add range
              </Button>
            </Group>
          </Stack>
          <NotSaved problem={problem} />
          <ChangedElsewhere edit={edit} what="calendar" />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => void navigate('/calendars')}>
              Back to calendars
            </Button>
            <Button type="submit" loading={save.isPending}>
              {calendar ? 'Save calendar' : 'Create calendar'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
