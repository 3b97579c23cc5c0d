import { Button, Group, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, call, type Schemas } from '../../api/client';
import { ConfirmButton } from '../../components/ConfirmButton';
import { errorText } from '../../components/ErrorText';

type Operation = Schemas['BulkJobsDto']['operation'];

/** Activate, deactivate, trigger or delete the selected jobs (POST /api/jobs/bulk). */
export function BulkActions({ ids, onDone }: { ids: string[]; onDone: () => void }) {
  const queryClient = useQueryClient();
  const bulk = useMutation({
    mutationFn: (operation: Operation) =>
      call(api.POST('/api/jobs/bulk', { body: { jobIds: ids, operation } })),
    onSuccess: (result, operation) => {
      notifications.show({
        color: result.failed > 0 ? 'yellow' : 'green',
        message: `${operation}: ${result.succeeded} done, ${result.failed} failed`,
      });
      onDone();
    },
    onError: (e) => notifications.show({ color: 'red', message: errorText(e) }),
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
        ] as const
      ).map(([operation, label]) => (
        <Button
          key={operation}
          size="xs"
          variant="light"
          disabled={disabled}
          onClick={() => bulk.mutate(operation)}
        >
          {label}
        </Button>
      ))}
      <ConfirmButton
        size="xs"
        color="red"
        variant="light"
        disabled={disabled}
        title="Delete jobs"
        message={`Delete ${ids.length} job(s) and their execution history? This cannot be undone.`}
        confirmLabel="Delete"
        onConfirm={() => bulk.mutate('delete')}
      >
        Delete
      </ConfirmButton>
    </Group>
  );
}
