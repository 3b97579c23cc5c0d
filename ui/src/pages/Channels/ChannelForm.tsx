import { Button, Checkbox, Group, PasswordInput, Select, Stack, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Controller, useForm, useWatch } from 'react-hook-form';
import { api, call, type Schemas } from '../../api/client';
import { queries } from '../../api/keys';
import { ChangedElsewhere } from '../../components/ChangedElsewhere';
import { placeFieldErrors } from '../../components/fieldErrors';
import { NotSaved } from '../../components/NotSaved';
import { useVersionedEdit } from '../../components/useVersionedEdit';
import {
  bodyFromChannelForm,
  channelFieldOf,
  emptyChannel,
  formFromChannel,
  type Channel,
  type ChannelFormValues,
} from './channelForm';

/** Create (no `channel`) or edit a channel; the API's field errors beside the fields. */
export function ChannelForm({ channel, onDone }: { channel?: Channel; onDone: () => void }) {
  const queryClient = useQueryClient();
  const [problem, setProblem] = useState<string | null>(null);
  const { register, control, handleSubmit, setError, formState, reset } =
    useForm<ChannelFormValues>({
      defaultValues: channel ? formFromChannel(channel) : emptyChannel(),
    });
  const edit = useVersionedEdit(
    channel,
    () => queryClient.fetchQuery({ ...queries.channel(channel?.id ?? ''), staleTime: 0 }),
    (fresh) => reset(formFromChannel(fresh)),
  );
  const stored = edit.base;
  const type = useWatch({ control, name: 'type' });
  const removeSecret = useWatch({ control, name: 'removeSecret' });

  const save = useMutation({
    mutationFn: (values: ChannelFormValues) => {
      const body = bodyFromChannelForm(values, stored);
      return stored
        ? call(
            api.PUT('/api/channels/{id}', {
              params: { path: { id: stored.id }, header: edit.header },
              body,
            }),
          )
        : call(api.POST('/api/channels', { body: body as Schemas['CreateChannelDto'] }));
    },
    onSuccess: async (saved) => {
      notifications.show({ color: 'green', message: `Channel ${saved.name} saved` });
      await queryClient.invalidateQueries({ queryKey: ['channels'] });
      onDone();
    },
    onError: (e) => {
      if (!edit.caught(e)) {
        setProblem(placeFieldErrors(e, channelFieldOf, setError));
      }
    },
  });

  const errors = formState.errors;
  return (
    <form
      noValidate
      onSubmit={(e) =>
        void handleSubmit((v) => {
          setProblem(null);
          save.mutate(v);
        })(e)
      }
    >
      <Stack>
        <TextInput label="Name" required error={errors.name?.message} {...register('name')} />
        <Controller
          control={control}
          name="type"
          render={({ field }) => (
            <Select
              label="Type"
              data={[
                { value: 'webhook', label: 'Webhook (signed JSON POST)' },
                { value: 'slack', label: 'Slack incoming webhook' },
              ]}
              allowDeselect={false}
              error={errors.type?.message}
              {...field}
              onChange={(v) => field.onChange(v ?? 'webhook')}
            />
          )}
        />
        <TextInput
          label="URL"
          required
          description={
            stored?.type === 'slack'
              ? "Shown without its path (Slack's secret): leave it to keep the stored URL"
              : 'Where notifications are POSTed'
          }
          error={errors.url?.message}
          {...register('url')}
        />
        {type === 'webhook' && (
          <>
            <PasswordInput
              label="Signing secret"
              autoComplete="new-password"
              description={
                stored?.hasSecret
                  ? 'A secret is set (never shown). Type a new one to replace it, or leave empty to keep it.'
                  : 'Optional, 16 to 256 characters: the HMAC-SHA256 key of the X-Signature header.'
              }
              disabled={removeSecret}
              error={errors.secret?.message}
              {...register('secret')}
            />
            {stored?.hasSecret && (
              <Checkbox label="Remove the secret (send unsigned)" {...register('removeSecret')} />
            )}
          </>
        )}
        <NotSaved problem={problem} />
        <ChangedElsewhere edit={edit} what="channel" />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending}>
            {stored ? 'Save channel' : 'Create channel'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
