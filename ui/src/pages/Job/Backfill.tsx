import { Alert, Button, Group, List, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, call, type Job } from '../../api/client';
import { formatIn, viewerZone } from '../../lib/time';
import { isoFromLocalInput, splitFieldErrors } from '../../lib/fieldErrors';

/** The body of POST /api/jobs/{id}/backfill from the form's datetime-local inputs. */
export function backfillBody(
  from: string,
  to: string,
  dryRun: boolean,
): { from: string; to: string; dryRun: boolean } {
  // An empty input goes as "" so the API names the field (a 400 beside it), not a silent default.
  return { from: isoFromLocalInput(from) ?? '', to: isoFromLocalInput(to) ?? '', dryRun };
}

/** How many of `slots` the preview lists before "and N more". */
const SHOWN = 20;

/**
 * Backfill: a time range, a dry run that lists the slots it would run, then a confirm that runs
 * them (trigger backfill). Changing the range drops the dry run, so what runs is what was shown.
 */
export function BackfillButton({ job }: { job: Job }) {
  const queryClient = useQueryClient();
  const [opened, { open, close }] = useDisclosure(false);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const mine = viewerZone();
  const send = (dryRun: boolean) =>
    call(
      api.POST('/api/jobs/{id}/backfill', {
        params: { path: { id: job.id } },
        body: backfillBody(from, to, dryRun),
      }),
    );
  const dry = useMutation({ mutationFn: () => send(true) });
  const run = useMutation({
    mutationFn: () => send(false),
    onSuccess: (out) => {
      notifications.show({
        color: 'green',
        message: `Backfill of ${out.slots.length} slot(s) started for ${job.name}`,
      });
      close();
      dry.reset();
      void queryClient.invalidateQueries({ queryKey: ['job', job.id] });
    },
  });
  const error = run.error ?? dry.error;
  const { byField, rest } = error
    ? splitFieldErrors(error, ['from', 'to'])
    : { byField: {}, rest: null };
  const edit = (set: (v: string) => void) => (e: React.ChangeEvent<HTMLInputElement>) => {
    set(e.currentTarget.value);
    dry.reset();
    run.reset();
  };
  const slots = dry.data?.slots;
  return (
    <>
      <Button variant="default" onClick={open}>
        Backfill
      </Button>
      <Modal opened={opened} onClose={close} title={`Backfill ${job.name}`} centered size="lg">
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            run.reset();
            dry.mutate();
          }}
        >
          <Stack>
            <Text size="sm">
              Runs the job&apos;s slots in a past range, one after another (at most 1000). Slots a
              calendar of the job excludes are left out. Times are in your zone ({mine}).
            </Text>
            <Group grow align="start">
              <TextInput
                type="datetime-local"
                label="From"
                required
                value={from}
                error={byField.from}
                onChange={edit(setFrom)}
                data-autofocus
              />
              <TextInput
                type="datetime-local"
                label="To"
                required
                description="Not in the future"
                value={to}
                error={byField.to}
                onChange={edit(setTo)}
              />
            </Group>
            {rest && (
              <Alert color="red" role="alert" title="No backfill">
                {rest}
              </Alert>
            )}
            {slots && (
              <Stack gap={4} aria-live="polite">
                <Text size="sm" fw={600} id="backfill-slots">
                  {slots.length === 0
                    ? 'No slot of the schedule falls in this range: nothing would run.'
                    : `Dry run: ${slots.length} slot(s) would run`}
                </Text>
                {slots.length > 0 && (
                  <List size="sm" aria-labelledby="backfill-slots" data-testid="backfill-slots">
                    {slots.slice(0, SHOWN).map((s) => (
                      <List.Item key={s}>
                        {formatIn(s, job.timezone)}
                        {mine !== job.timezone && (
                          <Text span size="xs" c="dimmed">
                            {' '}
                            ({formatIn(s, mine)} yours)
                          </Text>
                        )}
                      </List.Item>
                    ))}
                    {slots.length > SHOWN && (
                      <List.Item>… and {slots.length - SHOWN} more</List.Item>
                    )}
                  </List>
                )}
              </Stack>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" variant="light" loading={dry.isPending}>
                Preview (dry run)
              </Button>
              <Button
                disabled={!slots || slots.length === 0}
                loading={run.isPending}
                onClick={() => run.mutate()}
              >
                {slots && slots.length > 0 ? `Run ${slots.length} slot(s)` : 'Run'}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
