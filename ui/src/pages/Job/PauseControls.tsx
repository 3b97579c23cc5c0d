import { Alert, Button, Group, Modal, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, call, type Job } from '../../api/client';
import { errorText } from '../../components/ErrorText';
import { Time } from '../../components/Time';
import { isoFromLocalInput, splitFieldErrors } from '../../lib/fieldErrors';
import { jobQueries } from './jobQueries';

/** The body of POST /api/jobs/{id}/pause (and of a bulk pause) from the dialog's inputs. */
export function pauseBody(
  note: string,
  until: string,
): { note: string | null; until: string | null } {
  return { note: note.trim() || null, until: isoFromLocalInput(until) };
}

/**
 * The pause dialog's inputs (note, until), shared by the job page and the jobs list's bulk pause:
 * the API's messages for `note` and `until` beside them, anything else above the buttons.
 */
export function PauseDialog({
  opened,
  onClose,
  title,
  pending,
  error,
  onPause,
}: {
  opened: boolean;
  onClose: () => void;
  title: string;
  pending: boolean;
  error: unknown;
  onPause: (body: ReturnType<typeof pauseBody>) => void;
}) {
  const [note, setNote] = useState('');
  const [until, setUntil] = useState('');
  const { byField, rest } = error
    ? splitFieldErrors(error, ['note', 'until'])
    : { byField: {}, rest: null };
  return (
    <Modal opened={opened} onClose={onClose} title={title} centered>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          onPause(pauseBody(note, until));
        }}
      >
        <Stack>
          <Text size="sm">
            A paused job does not fire. Slots of the pause are not caught up on resume.
          </Text>
          <Textarea
            label="Note"
            description="Why, for whoever looks next (shown with the job)"
            autosize
            minRows={2}
            value={note}
            error={byField.note}
            onChange={(e) => setNote(e.currentTarget.value)}
            data-autofocus
          />
          <TextInput
            type="datetime-local"
            label="Resume by itself at (your time zone, optional)"
            description="Empty: paused until someone resumes it"
            value={until}
            error={byField.until}
            onChange={(e) => setUntil(e.currentTarget.value)}
          />
          {rest && (
            <Alert color="red" role="alert" title="Not paused">
              {rest}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={pending}>
              Pause
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Pause (with a note) or resume the job: admins only. */
export function PauseButton({ job }: { job: Job }) {
  const queryClient = useQueryClient();
  const [opened, { open, close }] = useDisclosure(false);
  const path = { params: { path: { id: job.id } } };
  const settle = () => {
    void queryClient.invalidateQueries({ queryKey: ['job', job.id] });
    void queryClient.invalidateQueries({ queryKey: ['jobs'] });
  };
  const pause = useMutation({
    mutationFn: (body: ReturnType<typeof pauseBody>) =>
      call(api.POST('/api/jobs/{id}/pause', { ...path, body })),
    onSuccess: () => {
      notifications.show({ color: 'green', message: `${job.name} paused` });
      close();
      settle();
    },
  });
  const resume = useMutation({
    mutationFn: () => call(api.POST('/api/jobs/{id}/resume', path)),
    onSuccess: () => {
      notifications.show({ color: 'green', message: `${job.name} resumed` });
      settle();
    },
    onError: (e) => notifications.show({ color: 'red', message: errorText(e) }),
  });
  if (job.pausedAt) {
    return (
      <Button
        variant="light"
        color="green"
        loading={resume.isPending}
        onClick={() => resume.mutate()}
      >
        Resume
      </Button>
    );
  }
  return (
    <>
      <Button
        variant="light"
        color="yellow"
        onClick={() => {
          pause.reset();
          open();
        }}
      >
        Pause
      </Button>
      <PauseDialog
        opened={opened}
        onClose={close}
        title={`Pause ${job.name}`}
        pending={pause.isPending}
        error={pause.error}
        onPause={(body) => pause.mutate(body)}
      />
    </>
  );
}

/** Shown on a paused job's page: since when, by whom (from the audit trail), why, until when. */
export function PausedNotice({ job }: { job: Job }) {
  const pausedAt = job.pausedAt;
  const audit = useQuery({ ...jobQueries.pausedBy(job.id, pausedAt ?? ''), enabled: !!pausedAt });
  if (!pausedAt) {
    return null;
  }
  const entry = audit.data?.entries[0];
  // The newest job.pause entry is this pause's when it is not older than it (a scheduler
  // auto-pause leaves none, and then nobody is named).
  const by =
    entry && new Date(entry.at).getTime() >= new Date(pausedAt).getTime() - 5000
      ? entry.actor.name
      : null;
  return (
    <Alert color="yellow" title="Paused" role="status" aria-label="Paused">
      <Stack gap={4}>
        <Group gap={6} wrap="wrap">
          <Text size="sm">Since</Text>
          <Time iso={pausedAt} zone={job.timezone} />
          {by && <Text size="sm">by {by}</Text>}
        </Group>
        <Text size="sm" data-testid="pause-note">
          {job.pauseNote ? `Note: ${job.pauseNote}` : 'No note was given.'}
        </Text>
        {job.pausedUntil ? (
          <Group gap={6} wrap="wrap">
            <Text size="sm">Resumes by itself at</Text>
            <Time iso={job.pausedUntil} zone={job.timezone} />
          </Group>
        ) : (
          <Text size="sm">Paused until someone resumes it.</Text>
        )}
      </Stack>
    </Alert>
  );
}
