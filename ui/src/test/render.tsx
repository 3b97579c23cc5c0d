import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { MemoryRouter, Route, Routes } from 'react-router';

/**
 * Renders `element` at `path` inside the console's providers (theme, a fresh query client that
 * does not retry, a router); `routes` are the pages a test expects it to navigate to.
 */
export function renderPage(
  path: string,
  element: ReactNode,
  routes: Record<string, ReactNode> = {},
): ReturnType<typeof render> {
  const queryClient = new QueryClient({ defaultOptions: { mutations: { retry: false } } });
  return render(
    <MantineProvider>
      <QueryClientProvider client={queryClient}>
        <MemoryRouter initialEntries={[path]}>
          <Routes>
            <Route path={path} element={element} />
            {Object.entries(routes).map(([p, e]) => (
              <Route key={p} path={p} element={e} />
            ))}
          </Routes>
        </MemoryRouter>
      </QueryClientProvider>
    </MantineProvider>,
  );
}
