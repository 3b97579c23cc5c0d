import { Badge } from '@mantine/core';
import type { ExecutionStatus } from '../api/client';

const COLORS: Record<ExecutionStatus, string> = {
  running: 'blue',
  completed: 'green',
  failed: 'red',
  timeout: 'orange',
  interrupted: 'gray',
};

export function StatusBadge({ status }: { status: ExecutionStatus }) {
  return (
    <Badge color={COLORS[status]} variant="light">
      {status}
    </Badge>
  );
}

/** active, paused (with its note as the title) or inactive: a paused job is inactive too. */
export function ActiveBadge({
  active,
  pausedAt,
  pauseNote,
}: {
  active: boolean;
  pausedAt?: string | null;
  pauseNote?: string | null;
}) {
  if (pausedAt) {
    return (
      <Badge color="yellow" variant="light" title={pauseNote ? `Paused: ${pauseNote}` : 'Paused'}>
        paused
      </Badge>
    );
  }
  return (
    <Badge color={active ? 'green' : 'gray'} variant="dot">
      {active ? 'active' : 'inactive'}
    </Badge>
  );
}
