import {
  Alert,
  Button,
  Card,
  Checkbox,
  Group,
  MultiSelect,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Controller, useForm, useWatch } from 'react-hook-form';
import { useNavigate } from 'react-router';
import { api, ApiError, call, type Job } from '../../api/client';
import { queries } from '../../api/keys';
import { ChangedElsewhere } from '../../components/ChangedElsewhere';
import { errorText } from '../../components/ErrorText';
import { useVersionedEdit } from '../../components/useVersionedEdit';
import { jobQueries } from '../Job/jobQueries';
import {
  bodyFromForm,
  formFieldOf,
  FormInputError,
  formFromJob,
  previewBodyFromForm,
  type JobFormValues,
} from './jobForm';
import { LivePreview, useDraftPreview } from './LivePreview';

// Chromium's list has no "UTC" (a common job zone and the default of many machines).
const ZONES = [...new Set(['UTC', ...Intl.supportedValuesOf('timeZone')])];
const ALERT_EVENTS = [
  ['alertOnFailure', 'On failure (after the last retry)'],
  ['alertOnRecovery', 'On recovery (first success after failures)'],
  ['alertOnAutoPause', 'On auto-pause'],
] as const;
const MONO = { input: { fontFamily: 'var(--mantine-font-family-monospace)' } };

/**
 * Create or edit a job. The API is the validator: its 400 `details` are put beside the fields they
 * name (formFieldOf), anything unplaced in the alert above the buttons.
 */
export function JobForm({ initial, job }: { initial: JobFormValues; job?: Job }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [problem, setProblem] = useState<string | null>(null);
  const { register, control, handleSubmit, setError, formState, reset } = useForm<JobFormValues>({
    defaultValues: initial,
  });
  const edit = useVersionedEdit(
    job,
    async () => (await queryClient.fetchQuery({ ...queries.job(job?.id ?? ''), staleTime: 0 })).job,
    (fresh) => reset(formFromJob(fresh)),
  );
  const timing = useWatch({ control, name: 'timing' });
  const targetType = useWatch({ control, name: 'targetType' });
  // Every field, as typed (defaults filled in): what the live preview sends.
  const values = { ...initial, ...useWatch({ control }) };
  const preview = useDraftPreview(previewBodyFromForm(values));
  const previewErrors = placeErrors(preview.error);
  const calendars = useQuery(jobQueries.calendars());
  const calendarList = calendars.data?.calendars ?? [];
  const channels = useQuery(queries.channels());
  const channelList = channels.data?.channels ?? [];
  // No channel: alerts are off (the body's alerts is null), so their settings wait disabled.
  const alertsOff = useWatch({ control, name: 'alertChannels' }).length === 0;

  const save = useMutation({
    mutationFn: (values: JobFormValues) => {
      const body = bodyFromForm(values);
      return job
        ? call(
            api.PUT('/api/jobs/{id}', {
              params: { path: { id: job.id }, header: edit.header },
              body,
            }),
          )
        : call(api.POST('/api/jobs', { body }));
    },
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: ['jobs'] });
      await queryClient.invalidateQueries({ queryKey: ['job', saved.id] });
      void navigate(`/jobs/${saved.id}`);
    },
    onError: (e) => {
      // Someone else saved first: nothing was written, the form keeps the edits.
      if (edit.caught(e)) {
        return;
      }
      if (e instanceof FormInputError) {
        setError(e.field, { message: e.message });
        return;
      }
      const { byField, unplaced } = placeErrors(e);
      for (const [field, message] of Object.entries(byField)) {
        setError(field as keyof JobFormValues, { message });
      }
      setProblem(
        unplaced.length > 0 || !(e instanceof ApiError) || e.fieldErrors.length === 0
          ? `${e instanceof ApiError ? e.message : errorText(e)}${unplaced.length ? ` — ${unplaced.join('; ')}` : ''}`
          : 'Fix the fields marked below.',
      );
    },
  });

  // The save's messages first; the live preview's otherwise (the same validation, as you type).
  const err = (name: keyof JobFormValues) =>
    formState.errors[name]?.message ?? previewErrors.byField[name];

  return (
    <SimpleGrid cols={{ base: 1, lg: 3 }}>
      <Card withBorder style={{ gridColumn: 'span 2' }}>
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
            <TextInput label="Name" required error={err('name')} {...register('name')} />
            <Textarea
              label="Description"
              autosize
              error={err('description')}
              {...register('description')}
            />
            <Group grow align="start">
              <Controller
                control={control}
                name="jobType"
                render={({ field }) => (
                  <Select
                    label="Type"
                    data={['scheduled', 'recurring', 'delayed', 'immediate']}
                    allowDeselect={false}
                    error={err('jobType')}
                    {...field}
                    onChange={(v) => field.onChange(v ?? 'scheduled')}
                  />
                )}
              />
              <Controller
                control={control}
                name="timezone"
                render={({ field }) => (
                  <Select
                    label="Time zone"
                    searchable
                    data={ZONES}
                    allowDeselect={false}
                    error={err('timezone')}
                    {...field}
                    onChange={(v) => field.onChange(v ?? 'UTC')}
                  />
                )}
              />
            </Group>
            <Controller
              control={control}
              name="timing"
              render={({ field }) => (
                <Stack gap={4}>
                  <Text size="sm" fw={500} id="timing-label">
                    Timing
                  </Text>
                  <SegmentedControl
                    aria-labelledby="timing-label"
                    data={[
                      { value: 'cron', label: 'Cron' },
                      { value: 'interval', label: 'Interval' },
                      { value: 'runAt', label: 'Once at' },
                    ]}
                    {...field}
                  />
                </Stack>
              )}
            />
            {timing === 'cron' && (
              <TextInput
                label="Cron expression"
                description="5 fields, or 6 with seconds first (*/2 * * * * * = every 2 seconds)"
                styles={MONO}
                error={err('cronExpression')}
                {...register('cronExpression')}
              />
            )}
            {timing === 'interval' && (
              <TextInput
                label="Every (seconds)"
                inputMode="decimal"
                error={err('intervalSeconds')}
                {...register('intervalSeconds')}
              />
            )}
            {timing === 'runAt' && (
              <TextInput
                type="datetime-local"
                label="Run at (your time zone)"
                error={err('runAt')}
                {...register('runAt')}
              />
            )}
            <Group grow align="start">
              <Controller
                control={control}
                name="targetType"
                render={({ field }) => (
                  <Select
                    label="Target"
                    data={[
                      { value: 'handler', label: 'In-process handler' },
                      { value: 'http', label: 'HTTP request' },
                    ]}
                    allowDeselect={false}
                    error={err('targetType')}
                    {...field}
                    onChange={(v) => field.onChange(v ?? 'handler')}
                  />
                )}
              />
              {targetType === 'handler' ? (
                <TextInput
                  label="Handler name"
                  error={err('handlerName')}
                  {...register('handlerName')}
                />
              ) : (
                <TextInput label="URL" error={err('url')} {...register('url')} />
              )}
              {targetType === 'http' && (
                <Controller
                  control={control}
                  name="method"
                  render={({ field }) => (
                    <Select
                      label="Method"
                      data={['GET', 'POST', 'PUT', 'PATCH', 'DELETE']}
                      allowDeselect={false}
                      error={err('method')}
                      {...field}
                      onChange={(v) => field.onChange(v ?? 'POST')}
                    />
                  )}
                />
              )}
            </Group>
            <Textarea
              label="Payload (JSON)"
              autosize
              minRows={2}
              styles={MONO}
              error={err('payload')}
              {...register('payload')}
            />
            <Group grow align="start">
              <TextInput
                label="Timeout (ms)"
                inputMode="numeric"
                error={err('timeoutMs')}
                {...register('timeoutMs')}
              />
              <TextInput
                label="Max retries"
                inputMode="numeric"
                error={err('maxRetries')}
                {...register('maxRetries')}
              />
              <TextInput
                label="Retry delay (ms)"
                inputMode="numeric"
                error={err('retryDelayMs')}
                {...register('retryDelayMs')}
              />
            </Group>
            <Group grow align="start">
              <PolicySelect
                control={control}
                name="retryBackoff"
                label="Retry backoff"
                data={['fixed', 'exponential']}
                error={err('retryBackoff')}
              />
              <PolicySelect
                control={control}
                name="concurrencyPolicy"
                label="Concurrency"
                data={['forbid', 'allow', 'replace', 'queue_one']}
                error={err('concurrencyPolicy')}
              />
              <PolicySelect
                control={control}
                name="misfirePolicy"
                label="Misfire"
                data={['fire_once', 'skip', 'fire_all']}
                error={err('misfirePolicy')}
              />
            </Group>
            <Stack gap="xs" component="fieldset" style={{ border: 0, padding: 0, margin: 0 }}>
              <Text component="legend" size="sm" fw={600} mb={4}>
                Schedule controls
              </Text>
              <Group grow align="start">
                <TextInput
                  type="datetime-local"
                  label="Window start (your time zone)"
                  description="No run before this; empty: now"
                  error={err('startAt')}
                  {...register('startAt')}
                />
                <TextInput
                  type="datetime-local"
                  label="Window end (your time zone)"
                  description="No run after this; empty: no end"
                  error={err('endAt')}
                  {...register('endAt')}
                />
              </Group>
              <Group grow align="start">
                <TextInput
                  label="Jitter (ms)"
                  description="Each run fires up to this much later"
                  inputMode="numeric"
                  error={err('jitterMs')}
                  {...register('jitterMs')}
                />
                <TextInput
                  label="Run limit"
                  description="Deactivate after this many runs; empty: no limit"
                  inputMode="numeric"
                  error={err('maxRuns')}
                  {...register('maxRuns')}
                />
                <TextInput
                  label="Auto-pause after failures"
                  description="Consecutive final failures; empty: never"
                  inputMode="numeric"
                  error={err('autoPauseAfterFailures')}
                  {...register('autoPauseAfterFailures')}
                />
              </Group>
              <NamedMultiSelect
                control={control}
                name="excludeCalendars"
                label="Skip slots in calendars"
                options={calendarList}
                none="No calendars yet: an admin can add them on the Calendars page"
                description="A slot inside one of these is skipped, not run"
                error={err('excludeCalendars')}
              />
            </Stack>
            <Stack gap="xs" component="fieldset" style={{ border: 0, padding: 0, margin: 0 }}>
              <Text component="legend" size="sm" fw={600} mb={4}>
                Alerts
              </Text>
              <NamedMultiSelect
                control={control}
                name="alertChannels"
                label="Alert channels"
                options={channelList}
                none="No channels yet: an admin can add them on the Channels page"
                description="None: no alerts for this job"
                error={err('alertChannels')}
              />
              <Group>
                {ALERT_EVENTS.map(([name, label]) => (
                  <AlertCheckbox
                    key={name}
                    control={control}
                    name={name}
                    label={label}
                    disabled={alertsOff}
                    error={err(name)}
                  />
                ))}
              </Group>
              <Group grow align="start">
                <TextInput
                  label="Missed run after (minutes)"
                  description="Alert when a slot has not started this many minutes after its time; empty: never"
                  inputMode="decimal"
                  disabled={alertsOff}
                  error={err('missedAfterMinutes')}
                  {...register('missedAfterMinutes')}
                />
                <TextInput
                  label="No success within (minutes)"
                  description="Alert when the job has not succeeded for this many minutes; empty: never"
                  inputMode="decimal"
                  disabled={alertsOff}
                  error={err('noSuccessWithinMinutes')}
                  {...register('noSuccessWithinMinutes')}
                />
              </Group>
            </Stack>
            <TextInput label="Tags (comma-separated)" error={err('tags')} {...register('tags')} />
            <Controller
              control={control}
              name="isActive"
              render={({ field: { value, onChange, ...rest } }) => (
                <Switch
                  label="Active"
                  checked={value}
                  onChange={(e) => onChange(e.currentTarget.checked)}
                  {...rest}
                />
              )}
            />
            {problem && (
              <Alert color="red" role="alert" title="The job was not saved">
                {problem}
              </Alert>
            )}
            <ChangedElsewhere edit={edit} what="job" />
            <Group>
              <Button type="submit" loading={save.isPending}>
                {job ? 'Save changes' : 'Create job'}
              </Button>
            </Group>
          </Stack>
        </form>
      </Card>
      <Stack>
        <LivePreview
          preview={preview}
          zone={values.timezone}
          calendars={calendarList.filter((c) => values.excludeCalendars.includes(c.id))}
          unplaced={previewErrors.unplaced}
        />
        {job && (
          <Text size="xs" c="dimmed">
            A draft has no id yet, so the preview shows nominal times: the saved job&apos;s page
            adds its jitter.
          </Text>
        )}
      </Stack>
    </SimpleGrid>
  );
}

/** An API error's details (a save's or the preview's), by the form field that shows each, and those no field shows. */
function placeErrors(e: unknown): {
  byField: Partial<Record<keyof JobFormValues, string>>;
  unplaced: string[];
} {
  const byField: Partial<Record<keyof JobFormValues, string>> = {};
  const unplaced: string[] = [];
  if (e instanceof ApiError) {
    for (const d of e.fieldErrors) {
      const field = formFieldOf(d.field);
      if (field) {
        byField[field] ??= d.message;
      } else {
        unplaced.push(`${d.field}: ${d.message}`);
      }
    }
  }
  return { byField, unplaced };
}

type FormControl = ReturnType<typeof useForm<JobFormValues>>['control'];

/** What every field component below takes: the form, its field, a label and the API's message. */
interface FieldProps<N extends keyof JobFormValues> {
  control: FormControl;
  name: N;
  label: string;
  error?: string;
}

/** A pick of named things by id (calendars, channels), saying so while there are none. */
function NamedMultiSelect({
  control,
  name,
  label,
  options,
  none,
  description,
  error,
}: FieldProps<'excludeCalendars' | 'alertChannels'> & {
  options: { id: string; name: string }[];
  /** The description while there is nothing to pick. */
  none: string;
  description: string;
}) {
  return (
    <Controller
      control={control}
      name={name}
      render={({ field }) => (
        <MultiSelect
          label={label}
          description={options.length === 0 ? none : description}
          placeholder={options.length === 0 ? undefined : 'None'}
          data={options.map((o) => ({ value: o.id, label: o.name }))}
          searchable
          clearable
          error={error}
          {...field}
        />
      )}
    />
  );
}

function AlertCheckbox({
  control,
  name,
  label,
  disabled,
  error,
}: FieldProps<'alertOnFailure' | 'alertOnRecovery' | 'alertOnAutoPause'> & { disabled: boolean }) {
  return (
    <Controller
      control={control}
      name={name}
      render={({ field: { value, onChange, ...rest } }) => (
        <Checkbox
          label={label}
          checked={value}
          disabled={disabled}
          error={error}
          onChange={(e) => onChange(e.currentTarget.checked)}
          {...rest}
        />
      )}
    />
  );
}

function PolicySelect({
  control,
  name,
  label,
  data,
  error,
}: FieldProps<'retryBackoff' | 'concurrencyPolicy' | 'misfirePolicy'> & { data: string[] }) {
  return (
    <Controller
      control={control}
      name={name}
      render={({ field }) => (
        <Select
          label={label}
          data={data}
          allowDeselect={false}
          error={error}
          {...field}
          onChange={(v) => field.onChange(v ?? data[0])}
        />
      )}
    />
  );
}
