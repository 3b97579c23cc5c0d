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

export function ActiveBadge({ active }: { active: boolean }) {
  return (
    <Badge color={active ? 'green' : 'gray'} variant="dot">
      {active ? 'active' : 'inactive'}
    </Badge>
  );
}
