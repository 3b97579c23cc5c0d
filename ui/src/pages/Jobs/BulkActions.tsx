import { Button, Group, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, call, type Schemas } from '../../api/client';
import { ConfirmButton } from '../../components/ConfirmButton';
import { errorText } from '../../components/ErrorText';
import { PauseDialog, type pauseBody } from '../Job/PauseControls';

type Operation = Schemas['BulkJobsDto']['operation'];
type Request = { operation: Operation } & Partial<ReturnType<typeof pauseBody>>;

/**
 * Activate, deactivate, trigger, pause (with a note), resume or delete the selected jobs
 * (POST /api/jobs/bulk).
 */
export function BulkActions({ ids, onDone }: { ids: string[]; onDone: () => void }) {
  const queryClient = useQueryClient();
  const [pausing, { open, close }] = useDisclosure(false);
  const bulk = useMutation({
    mutationFn: (req: Request) =>
      call(api.POST('/api/jobs/bulk', { body: { jobIds: ids, ...req } })),
    onSuccess: (result, { operation }) => {
      notifications.show({
        color: result.failed > 0 ? 'yellow' : 'green',
        message: `${operation}: ${result.succeeded} done, ${result.failed} failed`,
      });
      close();
      onDone();
    },
    onError: (e, { operation }) => {
      // The pause dialog shows its own errors beside its fields.
      if (operation !== 'pause') {
        notifications.show({ color: 'red', message: errorText(e) });
      }
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['jobs'] }),
  });
  const disabled = ids.length === 0 || bulk.isPending;
  return (
    <Group gap="xs" aria-label="Bulk actions" role="group">
      <Text size="sm" c="dimmed">
        {ids.length} selected
      </Text>
      {(
        [
          ['activate', 'Activate'],
          ['deactivate', 'Deactivate'],
          ['trigger', 'Trigger'],
          ['resume', 'Resume'],
        ] as const
      ).map(([operation, label]) => (
        <Button
          key={operation}
          size="xs"
          variant="light"
          disabled={disabled}
          onClick={() => bulk.mutate({ operation })}
        >
          {label}
        </Button>
      ))}
      <Button
        size="xs"
        variant="light"
        color="yellow"
        disabled={disabled}
        onClick={() => {
          bulk.reset();
          open();
        }}
      >
        Pause…
      </Button>
      <PauseDialog
        opened={pausing}
        onClose={close}
        title={`Pause ${ids.length} job(s)`}
        pending={bulk.isPending}
        error={bulk.variables?.operation === 'pause' ? bulk.error : null}
        onPause={(body) => bulk.mutate({ operation: 'pause', ...body })}
      />
      <ConfirmButton
        size="xs"
        color="red"
        variant="light"
        disabled={disabled}
        title="Delete jobs"
        message={`Delete ${ids.length} job(s) and their execution history? This cannot be undone.`}
        confirmLabel="Delete"
        onConfirm={() => bulk.mutate({ operation: 'delete' })}
      >
        Delete
      </ConfirmButton>
    </Group>
  );
}
