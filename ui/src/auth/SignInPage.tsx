import {
  Alert,
  Button,
  Center,
  Paper,
  PasswordInput,
  Stack,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Navigate, useNavigate } from 'react-router';
import { api, ApiError, call } from '../api/client';
import { sessions, useSession } from './session';

interface Credentials {
  username: string;
  password: string;
}

export function SignInPage() {
  const session = useSession();
  const navigate = useNavigate();
  const [failure, setFailure] = useState<string | null>(null);
  const { register, handleSubmit, formState } = useForm<Credentials>();
  if (session) {
    return <Navigate to="/" replace />;
  }
  const notice = sessions.notice;

  const onSubmit = async (values: Credentials) => {
    setFailure(null);
    try {
      const token = await call(api.POST('/api/auth/login', { body: values }));
      // The role decides which controls the console shows; the API enforces it regardless.
      const me = await call(
        api.GET('/api/auth/me', {
          headers: { Authorization: `Bearer ${token.accessToken}` },
        }),
      );
      sessions.signIn({
        token: token.accessToken,
        username: me.username,
        role: me.role,
        expiresAt: Date.now() + token.expiresIn * 1000,
      });
      void navigate('/', { replace: true });
    } catch (e) {
      setFailure(
        e instanceof ApiError && e.status === 401
          ? 'Wrong username or password.'
          : e instanceof ApiError && e.status === 429
            ? 'Too many attempts. Wait a minute and try again.'
            : `Could not sign in: ${(e as Error).message}`,
      );
    }
  };

  return (
    <Center mih="100vh" p="md">
      <main style={{ width: '100%', maxWidth: 380 }}>
        <Paper withBorder p="xl" radius="md">
          <form onSubmit={(e) => void handleSubmit(onSubmit)(e)} noValidate>
            <Stack>
              <Title order={1} size="h2">
                Job Scheduler
              </Title>
              {notice && !failure && (
                <Alert color="yellow" role="status">
                  {notice}
                </Alert>
              )}
              {failure && (
                <Alert color="red" role="alert">
                  {failure}
                </Alert>
              )}
              <TextInput
                label="Username"
                autoComplete="username"
                required
                error={formState.errors.username?.message}
                {...register('username', { required: 'Enter your username' })}
              />
              <PasswordInput
                label="Password"
                autoComplete="current-password"
                required
                error={formState.errors.password?.message}
                {...register('password', { required: 'Enter your password' })}
              />
              <Button type="submit" loading={formState.isSubmitting}>
                Sign in
              </Button>
            </Stack>
          </form>
        </Paper>
      </main>
    </Center>
  );
}
