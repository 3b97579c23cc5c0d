import { MantineProvider, createTheme } from '@mantine/core';
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

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 10_000,
      // A 4xx will not get better by asking again.
      retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
    },
  },
});

const theme = createTheme({ primaryColor: 'indigo', defaultRadius: 'sm' });

export function App() {
  return (
    <MantineProvider theme={theme}>
      <Notifications position="top-right" />
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
          <Route path="*" element={<Navigate to="/" replace />} />
        </Routes>
      </Suspense>
    </Shell>
  );
}
