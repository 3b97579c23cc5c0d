import { IANAZone } from 'luxon';

/** IANA zone check through luxon, the zone database the `cron` runner itself uses. */
export function isValidTimeZone(zone: string): boolean {
  return zone.length > 0 && zone.length <= 64 && IANAZone.isValidZone(zone);
}
