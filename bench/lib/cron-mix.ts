/**
 * A realistic spread of schedules for the benchmarks: 1,200 distinct cron expressions of the
 * shapes people write (daily, weekdays, every few hours, monthly, last day, nth weekday, lists,
 * ranges with steps, macros) over 50 zones, a third of them without DST, several with odd
 * offsets or DST rules (Lord Howe, Chatham, Casablanca, Santiago, Kathmandu).
 */
export const MIX_ZONES = [
  'UTC',
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Los_Angeles',
  'America/Anchorage',
  'Pacific/Honolulu',
  'America/Sao_Paulo',
  'America/Santiago',
  'America/Mexico_City',
  'America/Bogota',
  'America/Toronto',
  'America/Halifax',
  'America/St_Johns',
  'America/Havana',
  'America/Asuncion',
  'Europe/London',
  'Europe/Dublin',
  'Europe/Lisbon',
  'Europe/Paris',
  'Europe/Berlin',
  'Europe/Madrid',
  'Europe/Rome',
  'Europe/Athens',
  'Europe/Helsinki',
  'Europe/Kyiv',
  'Europe/Istanbul',
  'Europe/Moscow',
  'Africa/Cairo',
  'Africa/Casablanca',
  'Africa/Johannesburg',
  'Africa/Lagos',
  'Africa/Nairobi',
  'Asia/Jerusalem',
  'Asia/Beirut',
  'Asia/Tehran',
  'Asia/Dubai',
  'Asia/Karachi',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Asia/Dhaka',
  'Asia/Bangkok',
  'Asia/Shanghai',
  'Asia/Tokyo',
  'Asia/Seoul',
  'Australia/Sydney',
  'Australia/Adelaide',
  'Australia/Lord_Howe',
  'Pacific/Auckland',
  'Pacific/Chatham',
];

const SHAPES: ((m: number, h: number, i: number) => string)[] = [
  (m, h) => `${m} ${h} * * *`,
  (m, h) => `${m} ${h} * * 1-5`,
  (m, _h, i) => `${m} */${[2, 3, 4, 6, 8, 12][i % 6]} * * *`,
  (m, h, i) => `${m} ${h} ${1 + (i % 28)} * *`,
  (m, h) => `${m} ${h} L * *`,
  (m, h, i) => `${m} ${h} * * ${i % 7}#${1 + (i % 4)}`,
  (m, h) => `${m} ${h},${(h + 12) % 24} * * *`,
  (m, h, i) => `*/${[5, 10, 15, 20, 30][i % 5]} ${h}-${Math.min(h + 3, 23)} * * *`,
  (m, h, i) => `${m} ${h} * ${1 + (i % 12)} ${i % 7}`,
  (m, h, i) => `${m} ${h} 1,15 * *`.replace('1,15', i % 2 ? '1,15' : '15W'),
  (m, h, i) => `${m} ${h} * * ${['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'][i % 7]}`,
  (m, h, i) => `${i % 60} ${m} ${h} * * *`,
];

/** `count` distinct expressions (deterministic), plus the macros. */
export function cronMix(count = 1200): string[] {
  const out = new Set<string>(['@daily', '@hourly', '@weekly', '@monthly']);
  for (let i = 0; out.size < count; i++) {
    const shape = SHAPES[i % SHAPES.length];
    out.add(shape((i * 7) % 60, (i * 5 + Math.floor(i / 60)) % 24, Math.floor(i / SHAPES.length)));
  }
  return [...out];
}
