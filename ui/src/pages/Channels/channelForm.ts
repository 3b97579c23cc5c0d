import type { Schemas } from '../../api/client';

export type Channel = Schemas['ChannelResponseDto'];
type ChannelBody = Schemas['CreateChannelDto'];

/** The channel editor's fields. `secret` is write-only: empty means "leave it as it is". */
export interface ChannelFormValues {
  name: string;
  type: Channel['type'];
  url: string;
  secret: string;
  removeSecret: boolean;
}

export function emptyChannel(): ChannelFormValues {
  return { name: '', type: 'webhook', url: '', secret: '', removeSecret: false };
}

/** A stored channel in the form: its secret is never shown back, only whether one is set. */
export function formFromChannel(c: Channel): ChannelFormValues {
  return { name: c.name, type: c.type, url: c.url, secret: '', removeSecret: false };
}

/**
 * The body of POST or PUT. On an edit an empty secret is left out (the API keeps the stored one)
 * and "remove" sends null; a slack channel's URL is shown without its path (Slack's secret), so an
 * edit that leaves that shortened URL unchanged does not send it back.
 */
export function bodyFromChannelForm(v: ChannelFormValues, stored?: Channel): Partial<ChannelBody> {
  const body: Partial<ChannelBody> = { name: v.name.trim(), type: v.type };
  const url = v.url.trim();
  if (!stored || url !== stored.url) {
    body.url = url;
  }
  if (v.removeSecret && stored) {
    body.secret = null;
  } else if (v.secret !== '') {
    body.secret = v.secret;
  }
  return body;
}

export function channelFieldOf(field: string): keyof ChannelFormValues | null {
  return (['name', 'type', 'url', 'secret'] as const).find((f) => f === field) ?? null;
}
