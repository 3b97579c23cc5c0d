import { Button, Group } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import { api, call, type Job } from '../../api/client';
import { ifMatch } from '../../api/versions';
import { ConfirmButton } from '../../components/ConfirmButton';
import { deleteErrorText, errorText } from '../../components/ErrorText';
import { BackfillButton } from './Backfill';
import { PauseButton } from './PauseControls';

/**
 * Trigger, pause/resume, backfill, edit and delete (admins only; the page does not render this
 * for viewers).
 */
export function JobActions({ job }: { job: Job }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const path = { params: { path: { id: job.id } } };
  const trigger = useMutation({
    mutationFn: () => call(api.POST('/api/jobs/{id}/trigger', path)),
    onSuccess: () => notifications.show({ color: 'green', message: `${job.name} triggered` }),
    onError: (e) => notifications.show({ color: 'red', message: errorText(e) }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['job', job.id] }),
  });
  const remove = useMutation({
    // Based on the version shown: a job changed since is not deleted (412).
    mutationFn: () =>
      call(
        api.DELETE('/api/jobs/{id}', {
          params: { path: { id: job.id }, header: ifMatch(job.version) },
        }),
      ),
    onSuccess: () => {
      notifications.show({ color: 'green', message: `${job.name} deleted` });
      // Away first, and the job's cached reads left to expire: removed while the page was still
      // mounted, they were fetched again at its next render (404s for the deleted job).
      void navigate('/jobs');
      void queryClient.invalidateQueries({ queryKey: ['jobs'] });
    },
    onError: (e) => {
      notifications.show({ color: 'red', message: deleteErrorText(e, 'job') });
      void queryClient.invalidateQueries({ queryKey: ['job', job.id] });
    },
  });
  return (
    <Group gap="xs" role="group" aria-label="Job actions">
      <Button variant="light" loading={trigger.isPending} onClick={() => trigger.mutate()}>
        Trigger
      </Button>
      <PauseButton job={job} />
      <BackfillButton job={job} />
      <Button variant="default" component={Link} to={`/jobs/${job.id}/edit`}>
        Edit
      </Button>
      <ConfirmButton
        color="red"
        variant="light"
        title={`Delete ${job.name}`}
        message="Delete this job and its execution history? This cannot be undone."
        confirmLabel="Delete job"
        loading={remove.isPending}
        onConfirm={() => remove.mutate()}
      >
        Delete
      </ConfirmButton>
    </Group>
  );
}
