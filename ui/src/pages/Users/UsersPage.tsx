import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  PasswordInput,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Controller, useForm, type Path } from 'react-hook-form';
import { api, ApiError, call, type Schemas } from '../../api/client';
import { queries } from '../../api/keys';
import { useIsAdmin, useSession } from '../../auth/session';
import { ConfirmButton } from '../../components/ConfirmButton';
import { errorText } from '../../components/ErrorText';
import { Time } from '../../components/Time';
import { QueryState } from '../../layout/QueryState';
import { viewerZone } from '../../lib/time';

type NewUser = Schemas['CreateUserDto'];

/** Admins: who can sign in, with which role. */
export default function UsersPage() {
  const admin = useIsAdmin();
  const me = useSession();
  const users = useQuery({ ...queries.users(), enabled: admin });
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: (id: string) => call(api.DELETE('/api/users/{id}', { params: { path: { id } } })),
    onSuccess: () => notifications.show({ color: 'green', message: 'User deleted' }),
    onError: (e) => notifications.show({ color: 'red', message: errorText(e) }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['users'] }),
  });
  if (!admin) {
    return <Title order={1}>Only admins manage users.</Title>;
  }
  return (
    <Stack>
      <Title order={1} size="h2">
        Users
      </Title>
      <AddUser />
      <QueryState query={users}>
        {(list) => (
          <Table.ScrollContainer minWidth={520}>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Username</Table.Th>
                  <Table.Th>Role</Table.Th>
                  <Table.Th>Created</Table.Th>
                  <Table.Th>Actions</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.map((u) => (
                  <Table.Tr key={u.id}>
                    <Table.Td>{u.username}</Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={u.role === 'admin' ? 'indigo' : 'gray'}>
                        {u.role}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Time iso={u.createdAt} zone={viewerZone()} />
                    </Table.Td>
                    <Table.Td>
                      {u.username !== me?.username && (
                        <ConfirmButton
                          size="xs"
                          color="red"
                          variant="light"
                          title={`Delete ${u.username}`}
                          message={`${u.username} will no longer be able to sign in.`}
                          confirmLabel="Delete user"
                          onConfirm={() => remove.mutate(u.id)}
                        >
                          Delete
                        </ConfirmButton>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryState>
    </Stack>
  );
}

function AddUser() {
  const queryClient = useQueryClient();
  const { register, control, handleSubmit, reset, setError, formState } = useForm<NewUser>({
    defaultValues: { username: '', password: '', role: 'viewer' },
  });
  const create = useMutation({
    mutationFn: (body: NewUser) => call(api.POST('/api/users', { body })),
    onSuccess: (user) => {
      notifications.show({ color: 'green', message: `${user.username} can now sign in` });
      reset();
      void queryClient.invalidateQueries({ queryKey: ['users'] });
    },
    onError: (e) => {
      for (const d of e instanceof ApiError ? e.fieldErrors : []) {
        setError(d.field as Path<NewUser>, { message: d.message });
      }
    },
  });
  return (
    <Card withBorder>
      <form noValidate onSubmit={(e) => void handleSubmit((v) => create.mutate(v))(e)}>
        <Group align="start">
          <TextInput
            label="Username"
            error={formState.errors.username?.message}
            {...register('username')}
          />
          <PasswordInput
            label="Password"
            autoComplete="new-password"
            error={formState.errors.password?.message}
            {...register('password')}
          />
          <Controller
            control={control}
            name="role"
            render={({ field }) => (
              <Select
                label="Role"
                data={['viewer', 'admin']}
                allowDeselect={false}
                {...field}
                onChange={(v) => field.onChange(v ?? 'viewer')}
              />
            )}
          />
          <Button type="submit" mt={25} loading={create.isPending}>
            Add user
          </Button>
        </Group>
        {create.isError &&
          !(create.error instanceof ApiError && create.error.fieldErrors.length) && (
            <Alert color="red" mt="sm" role="alert">
              <Text size="sm">{errorText(create.error)}</Text>
            </Alert>
          )}
      </form>
    </Card>
  );
}
