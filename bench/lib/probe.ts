/**
 * Preloaded into an app process started by the benchmarks (`node --import probe.js`): answers
 * IPC "probe" messages with heap, RSS, event-loop utilisation since the last probe and the count
 * of pending timers, so memory per job and loop load are read without any endpoint of the app.
 */
import { performance } from 'node:perf_hooks';

export interface ProbeRequest {
  type: 'probe';
  id: number;
  gc: boolean;
}

export interface ProbeReply {
  type: 'probe';
  id: number;
  heapUsed: number;
  rss: number;
  eventLoopUtilization: number;
  timers: number;
}

let mark = performance.eventLoopUtilization();

function reply(req: ProbeRequest): ProbeReply {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (req.gc && gc) {
    gc();
  }
  const { heapUsed, rss } = process.memoryUsage();
  const elu = performance.eventLoopUtilization(mark);
  mark = performance.eventLoopUtilization();
  const timers = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
  return {
    type: 'probe',
    id: req.id,
    heapUsed,
    rss,
    eventLoopUtilization: elu.utilization,
    timers,
  };
}

if (process.send) {
  process.on('message', (msg: ProbeRequest) => {
    if (msg?.type === 'probe') {
      process.send?.(reply(msg));
    }
  });
  // The channel must not keep the app alive on its own.
  process.channel?.unref();
}
