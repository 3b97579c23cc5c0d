import { AppShell, Badge, Burger, Button, Group, NavLink, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link, useLocation } from 'react-router';
import { sessions, useSession } from '../auth/session';
import { useLiveEvents } from '../live/useLiveEvents';

const LINKS = [
  { to: '/', label: 'Overview' },
  { to: '/jobs', label: 'Jobs' },
  { to: '/executions', label: 'Executions' },
  { to: '/calendars', label: 'Calendars' },
  { to: '/channels', label: 'Channels' },
  { to: '/notifications', label: 'Notifications' },
];
/** Pages only admins see (their routes refuse viewers too). */
const ADMIN_LINKS = [
  { to: '/users', label: 'Users' },
  { to: '/api-keys', label: 'API keys' },
];

export function Shell({ children }: { children: ReactNode }) {
  const session = useSession();
  const [opened, { toggle, close }] = useDisclosure();
  const { pathname } = useLocation();
  const queryClient = useQueryClient();
  const live = useLiveEvents();
  const links = session?.role === 'admin' ? [...LINKS, ...ADMIN_LINKS] : LINKS;

  const signOut = () => {
    queryClient.clear();
    sessions.signOut('You signed out.');
  };

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 200, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label="Toggle navigation"
            />
            <Title order={2} size="h4">
              Job Scheduler
            </Title>
            <Badge
              color={live === 'open' ? 'green' : 'gray'}
              variant="light"
              title="Server-sent events from /api/events"
            >
              {live === 'open' ? 'live' : 'reconnecting'}
            </Badge>
          </Group>
          <Group gap="xs" wrap="nowrap">
            <Text size="sm" visibleFrom="xs">
              {session?.username} ({session?.role})
            </Text>
            <Button size="xs" variant="default" onClick={signOut}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main">
        {links.map((link) => (
          <NavLink
            key={link.to}
            component={Link}
            to={link.to}
            label={link.label}
            onClick={close}
            active={link.to === '/' ? pathname === '/' : pathname.startsWith(link.to)}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>{children}</AppShell.Main>
    </AppShell>
  );
}
