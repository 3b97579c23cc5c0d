import type { Schemas } from '../../api/client';

export type ApiKey = Schemas['ApiKeyResponseDto'];
export type NewApiKey = Schemas['CreateApiKeyDto'];

/** The expiry choices of the create form: days from now, or never. */
export const EXPIRY_CHOICES = [
  { value: '30', label: 'In 30 days' },
  { value: '90', label: 'In 90 days' },
  { value: '365', label: 'In a year' },
  { value: 'never', label: 'Never' },
] as const;
export type ExpiryChoice = (typeof EXPIRY_CHOICES)[number]['value'];

/** `expiresAt` for a choice made at `now` (undefined: the key does not expire). */
export function expiresAtOf(choice: ExpiryChoice, now: Date): string | undefined {
  return choice === 'never'
    ? undefined
    : new Date(now.getTime() + Number(choice) * 86_400_000).toISOString();
}

export type KeyState = 'active' | 'expired' | 'revoked';

/** Whether the API still accepts the key. */
export function keyState(k: Pick<ApiKey, 'expiresAt' | 'revokedAt'>, now: Date): KeyState {
  if (k.revokedAt) {
    return 'revoked';
  }
  return k.expiresAt && new Date(k.expiresAt).getTime() <= now.getTime() ? 'expired' : 'active';
}
