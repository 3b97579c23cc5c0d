import { Stack, Text, Tooltip } from '@mantine/core';
import { formatIn, viewerZone } from '../lib/time';

/** An instant in the job's zone, with the viewer's own zone under it when they differ. */
export function Time({ iso, zone }: { iso: string | null | undefined; zone: string }) {
  const mine = viewerZone();
  if (!iso) {
    return <Text size="sm">—</Text>;
  }
  return (
    <Tooltip label={`${iso} (UTC)`}>
      <Stack gap={0}>
        <Text size="sm">{formatIn(iso, zone)}</Text>
        {mine !== zone && (
          <Text size="xs" c="dimmed">
            {formatIn(iso, mine)} (you)
          </Text>
        )}
      </Stack>
    </Tooltip>
  );
}
