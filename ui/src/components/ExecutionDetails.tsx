import { Code, Drawer, Group, ScrollArea, Stack, Text } from '@mantine/core';
import type { Execution } from '../api/client';
import { formatDuration } from '../lib/time';
import { StatusBadge } from './StatusBadge';
import { Time } from './Time';

/** One execution: times, outcome, the error and the output the target returned. */
export function ExecutionDetails({
  execution,
  zone,
  onClose,
}: {
  execution: Execution | null;
  zone: string;
  onClose: () => void;
}) {
  return (
    <Drawer
      opened={execution !== null}
      onClose={onClose}
      position="right"
      title="Execution"
      size="lg"
    >
      {execution && (
        <Stack gap="sm">
          <Group>
            <StatusBadge status={execution.status} />
            <Text size="sm">trigger: {execution.trigger}</Text>
            <Text size="sm">attempt retries: {execution.retryCount}</Text>
          </Group>
          <Text size="xs" c="dimmed" ff="monospace">
            {execution.id}
          </Text>
          <Text fw={600} size="sm">
            Scheduled for
          </Text>
          <Time iso={execution.scheduledFor} zone={zone} />
          <Text fw={600} size="sm">
            Started
          </Text>
          <Time iso={execution.startedAt} zone={zone} />
          <Text size="sm">Duration: {formatDuration(execution.durationMs)}</Text>
          <Text fw={600} size="sm">
            Error
          </Text>
          <Text size="sm" c={execution.errorMessage ? 'red.8' : 'dimmed'}>
            {execution.errorMessage ?? 'None'}
          </Text>
          <Text fw={600} size="sm">
            Output
          </Text>
          <ScrollArea.Autosize mah={360}>
            <Code block>{JSON.stringify(execution.output, null, 2) ?? 'null'}</Code>
          </ScrollArea.Autosize>
        </Stack>
      )}
    </Drawer>
  );
}
