import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { answer, json } from '../../test/fetch';
import { renderPage } from '../../test/render';
import { CreateApiKey } from './CreateApiKey';

const KEY = 'sk_3f9a0c1d_q3JxVerySecretPart';

describe('CreateApiKey', () => {
  it('shows the new key once, with a warning, and forgets it when the dialog closes', async () => {
    const sent: Record<string, unknown>[] = [];
    answer(async (request) => {
      if (request.method === 'POST') {
        sent.push((await request.json()) as Record<string, unknown>);
        return json(201, {
          success: true,
          data: { id: 'k1', name: 'deploy', prefix: 'sk_3f9a0c1d', role: 'viewer', key: KEY },
          timestamp: new Date().toISOString(),
        });
      }
      return json(200, { success: true, data: [], timestamp: new Date().toISOString() });
    });
    renderPage('/api-keys', <CreateApiKey />);
    const user = userEvent.setup();
    await user.type(screen.getByRole('textbox', { name: /^Name/ }), 'deploy');
    await user.click(screen.getByRole('button', { name: 'Create key' }));

    expect(await screen.findByText(KEY, {}, { timeout: 10_000 })).toBeTruthy();
    expect(screen.getByText(/only time it is shown/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Copy key' })).toBeTruthy();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ name: 'deploy', role: 'viewer' });
    // The default expiry: 90 days from now.
    const days = (new Date(sent[0].expiresAt as string).getTime() - Date.now()) / 86_400_000;
    expect(Math.round(days)).toBe(90);

    await user.click(screen.getByRole('button', { name: 'I have stored it' }));
    await waitFor(() => expect(screen.queryByText(KEY)).toBeNull());
    expect(document.body.innerHTML).not.toContain(KEY);
  });
});
