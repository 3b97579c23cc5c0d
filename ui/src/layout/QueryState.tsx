import { Alert, Button, Group, Text } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { PageLoader } from './PageLoader';

/** Loading, error (with a retry) or the content: every screen's three states said the same way. */
export function QueryState<T>({
  query,
  children,
}: {
  query: UseQueryResult<T>;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) {
    return <PageLoader />;
  }
  if (query.isError) {
    return (
      <Alert color="red" title="Could not load this" role="alert">
        <Group justify="space-between">
          <Text size="sm">{query.error.message}. Check that the service is up, then retry.</Text>
          <Button size="xs" variant="light" onClick={() => void query.refetch()}>
            Retry
          </Button>
        </Group>
      </Alert>
    );
  }
  return <>{children(query.data)}</>;
}
