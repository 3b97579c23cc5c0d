import { Badge, Group, List, Stack, Text } from '@mantine/core';
import { formatIn, viewerZone } from '../../lib/time';
import type { Calendar, PreviewSlot } from './slotMarks';
import { slotViews } from './slotMarks';

/**
 * Slots of a preview in the job's zone (and the viewer's when it differs), each with its marks:
 * skipped by a calendar / the window / a pause, DST changes, jitter.
 */
export function SlotList({
  slots,
  zone,
  calendars,
  label,
}: {
  slots: readonly PreviewSlot[];
  zone: string;
  calendars: readonly Calendar[];
  label: string;
}) {
  const mine = viewerZone();
  return (
    <List spacing={6} size="sm" listStyleType="none" aria-label={label}>
      {slotViews(slots, calendars).map((slot) => {
        const skipped = slot.skipped;
        return (
          <List.Item
            key={`${slot.at}-${skipped ?? ''}`}
            data-testid={skipped ? 'slot-skipped' : 'slot'}
          >
            <Stack gap={0}>
              <Text size="sm" td={skipped ? 'line-through' : undefined}>
                {formatIn(slot.at, zone)}
              </Text>
              {mine !== zone && (
                <Text size="xs" c="dimmed">
                  {formatIn(slot.at, mine)} (you)
                </Text>
              )}
              {slot.marks.length > 0 && (
                <Group gap={4} mt={2}>
                  {slot.marks.map((m) => (
                    <Badge key={m.label} size="xs" variant="light" color={m.color} title={m.hint}>
                      {m.label}
                    </Badge>
                  ))}
                </Group>
              )}
            </Stack>
          </List.Item>
        );
      })}
    </List>
  );
}
