import { Alert, Card, Loader, Group, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, ApiError, call, type CreateJob } from '../../api/client';
import { errorText } from '../../components/ErrorText';
import { SlotList } from '../Job/SlotList';
import type { Calendar } from '../Job/slotMarks';

/** How long the editor waits after the last keystroke before asking for a preview. */
export const PREVIEW_DEBOUNCE_MS = 400;

/**
 * The draft's preview as you type (POST /api/jobs/preview, debounced): the schedule in words and
 * its next slots with their marks. Nothing is saved; a 400's details are put beside the fields by
 * the form, as the save's are.
 */
export function useDraftPreview(body: CreateJob | null) {
  const key = body ? JSON.stringify(body) : null;
  const [debounced] = useDebouncedValue(key, PREVIEW_DEBOUNCE_MS);
  return useQuery({
    queryKey: ['draft-preview', debounced],
    enabled: debounced !== null,
    queryFn: () =>
      call(
        api.POST('/api/jobs/preview', {
          params: { query: { count: 8, includeSkipped: 'true' } },
          body: JSON.parse(debounced ?? '{}') as CreateJob,
        }),
      ),
    placeholderData: keepPreviousData,
    retry: false,
    staleTime: 30_000,
  });
}

export function LivePreview({
  preview,
  zone,
  calendars,
  unplaced,
}: {
  preview: ReturnType<typeof useDraftPreview>;
  zone: string;
  calendars: readonly Calendar[];
  /** The 400's details that no field of the form shows. */
  unplaced: string[];
}) {
  const invalid = preview.error instanceof ApiError && preview.error.status === 400;
  return (
    <Card withBorder aria-busy={preview.isFetching}>
      <Group justify="space-between" mb="xs">
        <Text fw={600}>Preview ({zone})</Text>
        {preview.isFetching && <Loader size="xs" aria-label="Updating preview" />}
      </Group>
      {preview.isError && (
        <Alert color={invalid ? 'yellow' : 'red'} title="No preview" role="status">
          {invalid
            ? `Fix the fields marked in the form to see the next runs.${unplaced.length > 0 ? ` ${unplaced.join('; ')}` : ''}`
            : `${errorText(preview.error)}. The preview will retry as you type.`}
        </Alert>
      )}
      {preview.isPending && !preview.isError && (
        <Text size="sm" c="dimmed">
          The next runs appear here as you type.
        </Text>
      )}
      {preview.data && !preview.isError && (
        <>
          <Text size="sm" mb="xs" data-testid="preview-description">
            {preview.data.description}
          </Text>
          {preview.data.slots.length === 0 ? (
            <Text size="sm" c="dimmed">
              No run ahead: check the type, timing and window.
            </Text>
          ) : (
            <SlotList
              slots={preview.data.slots}
              zone={preview.data.timezone}
              calendars={calendars}
              label="Preview of the next runs"
            />
          )}
        </>
      )}
    </Card>
  );
}
