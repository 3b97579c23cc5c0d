import {
  Alert,
  Button,
  Card,
  Code,
  CopyButton,
  Group,
  Modal,
  Select,
  Stack,
  TextInput,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { api, call } from '../../api/client';
import { placeFieldErrors } from '../../components/fieldErrors';
import { NotSaved } from '../../components/NotSaved';
import { EXPIRY_CHOICES, expiresAtOf, type ExpiryChoice, type NewApiKey } from './apiKeys';

const fieldOf = (field: string): keyof Values | null =>
  field === 'expiresAt' ? 'expiry' : field === 'name' || field === 'role' ? field : null;

interface Values {
  name: string;
  role: NewApiKey['role'];
  expiry: ExpiryChoice;
}

/** The create form, and the one dialog that ever shows a key's secret. */
export function CreateApiKey() {
  const queryClient = useQueryClient();
  const [secret, setSecret] = useState<{ name: string; key: string } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const { register, control, handleSubmit, reset, setError, formState } = useForm<Values>({
    defaultValues: { name: '', role: 'viewer', expiry: '90' },
  });
  const create = useMutation({
    mutationFn: (v: Values) =>
      call(
        api.POST('/api/api-keys', {
          body: { name: v.name.trim(), role: v.role, expiresAt: expiresAtOf(v.expiry, new Date()) },
        }),
      ),
    onSuccess: (created) => {
      setSecret({ name: created.name, key: created.key });
      setProblem(null);
      reset();
      void queryClient.invalidateQueries({ queryKey: ['api-keys'] });
    },
    onError: (e) => setProblem(placeFieldErrors(e, fieldOf, setError)),
  });
  // The secret lives only in this state until the dialog closes (and not in the mutation cache).
  const done = () => {
    setSecret(null);
    create.reset();
  };
  return (
    <Card withBorder>
      <form
        noValidate
        onSubmit={(e) =>
          void handleSubmit((v) => {
            setProblem(null);
            create.mutate(v);
          })(e)
        }
      >
        <Group align="start">
          <TextInput
            label="Name"
            description="Who uses it, e.g. deploy-pipeline"
            error={formState.errors.name?.message}
            {...register('name')}
          />
          <Controller
            control={control}
            name="role"
            render={({ field }) => (
              <Select
                label="Role"
                description="viewer: reads only"
                data={['viewer', 'admin']}
                allowDeselect={false}
                error={formState.errors.role?.message}
                {...field}
                onChange={(v) => field.onChange(v ?? 'viewer')}
              />
            )}
          />
          <Controller
            control={control}
            name="expiry"
            render={({ field }) => (
              <Select
                label="Expires"
                description="When the key stops working"
                data={EXPIRY_CHOICES.map((c) => ({ ...c }))}
                allowDeselect={false}
                error={formState.errors.expiry?.message}
                {...field}
                onChange={(v) => field.onChange(v ?? '90')}
              />
            )}
          />
          <Button type="submit" mt={46} loading={create.isPending}>
            Create key
          </Button>
        </Group>
        <NotSaved problem={problem} mt="sm" />
      </form>
      <Modal
        opened={secret !== null}
        onClose={done}
        title={`API key ${secret?.name ?? ''}`}
        closeOnClickOutside={false}
        size="lg"
      >
        {secret && (
          <Stack>
            <Alert color="orange" title="Copy the key now" role="alert">
              This is the only time it is shown. It is stored hashed: nobody can show it again, and
              a lost key can only be revoked and replaced.
            </Alert>
            <Code block data-testid="new-api-key" style={{ wordBreak: 'break-all' }}>
              {secret.key}
            </Code>
            <Group justify="space-between">
              <CopyButton value={secret.key}>
                {({ copied, copy }) => (
                  <Button variant="light" color={copied ? 'green' : 'indigo'} onClick={copy}>
                    {copied ? 'Copied' : 'Copy key'}
                  </Button>
                )}
              </CopyButton>
              <Button onClick={done}>I have stored it</Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Card>
  );
}
