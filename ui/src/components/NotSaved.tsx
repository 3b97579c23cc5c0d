import { Alert, Text, type MantineSpacing } from '@mantine/core';

/** What a form's last save attempt said (placeFieldErrors), above its buttons; nothing if none. */
export function NotSaved({ problem, mt }: { problem: string | null; mt?: MantineSpacing }) {
  return problem ? (
    <Alert color="red" role="alert" title="Not saved" mt={mt}>
      <Text size="sm">{problem}</Text>
    </Alert>
  ) : null;
}
