import { useSyncExternalStore } from 'react';

export type Role = 'admin' | 'viewer';

export interface Session {
  token: string;
  username: string;
  role: Role;
  /** Epoch ms after which the token is refused. */
  expiresAt: number;
}

const KEY = 'scheduler.session';
type Listener = () => void;

/**
 * The signed-in user's bearer token, kept in sessionStorage: it survives a reload but not the tab,
 * and is never put in a URL. `notice` is what the sign-in page says after an expiry or sign-out.
 */
class SessionStore {
  private session: Session | null = read();
  private noticeText: string | null = null;
  private readonly listeners = new Set<Listener>();

  get current(): Session | null {
    if (this.session && this.session.expiresAt <= Date.now()) {
      this.expire('Your session expired. Sign in again.');
    }
    return this.session;
  }

  get notice(): string | null {
    return this.noticeText;
  }

  signIn(session: Session): void {
    this.session = session;
    this.noticeText = null;
    sessionStorage.setItem(KEY, JSON.stringify(session));
    this.emit();
  }

  signOut(notice: string | null = null): void {
    this.session = null;
    this.noticeText = notice;
    sessionStorage.removeItem(KEY);
    this.emit();
  }

  /** The API said 401: the token expired or was revoked. */
  expire(notice = 'Your session expired. Sign in again.'): void {
    if (this.session) {
      this.signOut(notice);
    }
  }

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private emit(): void {
    for (const listener of this.listeners) {
      listener();
    }
  }
}

function read(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    const parsed = raw ? (JSON.parse(raw) as Session) : null;
    return parsed && parsed.expiresAt > Date.now() ? parsed : null;
  } catch {
    return null;
  }
}

export const sessions = new SessionStore();

export function useSession(): Session | null {
  return useSyncExternalStore(sessions.subscribe, () => sessions.current);
}

export function useIsAdmin(): boolean {
  return useSession()?.role === 'admin';
}
