import { Alert, Button, Group, Text } from '@mantine/core';
import type { VersionedEdit } from './useVersionedEdit';

/**
 * Beside an editor's Save button after a 412: someone else saved the resource since it was
 * opened, so nothing was written. The edits stay in the form; reloading discards them.
 */
export function ChangedElsewhere({ edit, what }: { edit: VersionedEdit; what: string }) {
  if (!edit.conflict) {
    return null;
  }
  const now = edit.conflict.currentVersion;
  return (
    <Alert color="orange" role="alert" title={`Not saved: someone else changed this ${what}`}>
      <Text size="sm">
        It was changed since you opened it (you opened version {edit.base?.version ?? '?'}
        {now !== null ? `; it is now at version ${now}` : ''}), so your save would have overwritten
        their change. Nothing was saved and your edits are still in the form: copy what you need,
        then reload the latest to edit that version.
      </Text>
      {edit.reloadProblem && (
        <Text size="sm" c="red" mt="xs">
          Could not reload: {edit.reloadProblem}
        </Text>
      )}
      <Group mt="xs">
        <Button
          size="xs"
          color="orange"
          variant="light"
          loading={edit.reloading}
          onClick={() => void edit.reload()}
        >
          Reload the latest (discards your edits)
        </Button>
      </Group>
    </Alert>
  );
}
