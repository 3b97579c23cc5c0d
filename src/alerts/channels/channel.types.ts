export const CHANNEL_TYPES = ['webhook', 'slack'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

/** A notification channel as stored; `secret` never leaves the alerts module. */
export interface Channel {
  id: string;
  name: string;
  type: ChannelType;
  url: string;
  secret: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export type ChannelInput = Pick<Channel, 'name' | 'type' | 'url' | 'secret'>;
