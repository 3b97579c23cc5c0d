import {
  Drawer,
  MantineProvider,
  Modal,
  Notification,
  createTheme,
  type CSSVariablesResolver,
} from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { ApiError } from './api/client';
import { SignInPage } from './auth/SignInPage';
import { useSession } from './auth/session';
import { Shell } from './layout/Shell';
import { PageLoader } from './layout/PageLoader';

// Each screen is its own chunk: the sign-in page loads without the tables and charts.
const OverviewPage = lazy(() => import('./pages/Overview/OverviewPage'));
const JobsPage = lazy(() => import('./pages/Jobs/JobsPage'));
const JobPage = lazy(() => import('./pages/Job/JobPage'));
const JobEditorPage = lazy(() => import('./pages/JobEditor/JobEditorPage'));
const ExecutionsPage = lazy(() => import('./pages/Executions/ExecutionsPage'));
const UsersPage = lazy(() => import('./pages/Users/UsersPage'));
const CalendarsPage = lazy(() => import('./pages/Calendars/CalendarsPage'));
const CalendarPage = lazy(() => import('./pages/Calendars/CalendarPage'));
const ChannelsPage = lazy(() => import('./pages/Channels/ChannelsPage'));
const NotificationsPage = lazy(() => import('./pages/Notifications/NotificationsPage'));
const ApiKeysPage = lazy(() => import('./pages/ApiKeys/ApiKeysPage'));

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 10_000,
      // A 4xx will not get better by asking again.
      retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
    },
  },
});

// Darker shades than Mantine's defaults, and darker dimmed text: WCAG AA contrast (axe checks it).
const theme = createTheme({
  primaryColor: 'indigo',
  primaryShade: { light: 8, dark: 6 },
  defaultRadius: 'sm',
  // Mantine's close buttons are icons: give them names for screen readers.
  components: {
    Drawer: Drawer.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }),
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }),
    Notification: Notification.extend({
      defaultProps: { closeButtonProps: { 'aria-label': 'Dismiss' } },
      // Under a title the text is gray 6 (3.3:1 on white): the dimmed colour instead.
      styles: { description: { color: 'var(--mantine-color-dimmed)' } },
    }),
  },
});

const BADGE_COLORS = [
  'green',
  'red',
  'orange',
  'blue',
  'gray',
  'grape',
  'indigo',
  'teal',
  'yellow',
];
const contrast: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    // Field errors (text and the invalid input's own text): red 6 is 3.3:1 on white, red 9 over 5.
    '--mantine-color-error': 'var(--mantine-color-red-9)',
    // Text of "light" badges and alerts on their tinted background: shade 9 is not enough for
    // green, orange or yellow at badge size.
    ...Object.fromEntries(
      BADGE_COLORS.map((c) => [
        `--mantine-color-${c}-light-color`,
        `color-mix(in srgb, var(--mantine-color-${c}-9), black 35%)`,
      ]),
    ),
  },
  dark: {},
});

export function App() {
  return (
    <MantineProvider theme={theme} cssVariablesResolver={contrast}>
      {/* Bottom right: at the top they covered the job page's action buttons (and a pointer resting
          there keeps them open). */}
      <Notifications position="bottom-right" />
      <QueryClientProvider client={queryClient}>
        <BrowserRouter basename="/ui">
          <Routes>
            <Route path="/sign-in" element={<SignInPage />} />
            <Route path="/*" element={<SignedIn />} />
          </Routes>
        </BrowserRouter>
      </QueryClientProvider>
    </MantineProvider>
  );
}

function SignedIn() {
  const session = useSession();
  if (!session) {
    return <Navigate to="/sign-in" replace />;
  }
  return (
    <Shell>
      <Suspense fallback={<PageLoader />}>
        <Routes>
          <Route index element={<OverviewPage />} />
          <Route path="jobs" element={<JobsPage />} />
          <Route path="jobs/new" element={<JobEditorPage />} />
          <Route path="jobs/:id" element={<JobPage />} />
          <Route path="jobs/:id/edit" element={<JobEditorPage />} />
          <Route path="executions" element={<ExecutionsPage />} />
          <Route path="users" element={<UsersPage />} />
          <Route path="calendars" element={<CalendarsPage />} />
          <Route path="calendars/new" element={<CalendarPage />} />
          <Route path="calendars/:id" element={<CalendarPage />} />
          <Route path="channels" element={<ChannelsPage />} />
          <Route path="notifications" element={<NotificationsPage />} />
          <Route path="api-keys" element={<ApiKeysPage />} />
          <Route path="*" element={<Navigate to="/" replace />} />
        </Routes>
      </Suspense>
    </Shell>
  );
}
