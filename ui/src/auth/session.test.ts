import { beforeEach, describe, expect, it } from 'vitest';
import { api } from '../api/client';
import { answer, json } from '../test/fetch';
import { sessions } from './session';

const session = { token: 't0ken', username: 'ada', role: 'viewer' as const };

describe('the session', () => {
  beforeEach(() => sessions.signOut());

  it('keeps the token in sessionStorage and sends it as a bearer header', async () => {
    sessions.signIn({ ...session, expiresAt: Date.now() + 60_000 });
    expect(sessionStorage.getItem('scheduler.session')).toContain('t0ken');
    let auth: string | null = null;
    answer((request) => {
      auth = request.headers.get('Authorization');
      return json(200, { success: true, data: { id: 'x', username: 'ada', role: 'viewer' } });
    });
    await api.GET('/api/auth/me');
    expect(auth).toBe('Bearer t0ken');
  });

  it('ends on a 401 from the API, with a message for the sign-in page', async () => {
    sessions.signIn({ ...session, expiresAt: Date.now() + 60_000 });
    answer(() => json(401, { success: false, error: 'Unauthorized', message: 'expired' }));
    await api.GET('/api/jobs');
    expect(sessions.current).toBeNull();
    expect(sessions.notice).toBe('Your session expired. Sign in again.');
    expect(sessionStorage.getItem('scheduler.session')).toBeNull();
  });

  it('ends by itself once the token has expired', () => {
    sessions.signIn({ ...session, expiresAt: Date.now() - 1 });
    expect(sessions.current).toBeNull();
    expect(sessions.notice).toMatch(/expired/);
  });
});
