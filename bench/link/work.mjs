// The work of the link benchmark, shared by the engine gears and the Node.js processes.
import { validate, enrich } from '../engine/functions.mjs';
import { order } from '../engine/orders.mjs';

/** The n-th message, as JSON text, stamped with the time it was made (ms since the epoch). */
export function message(n) {
  const body = JSON.parse(order(n));
  body.seq = n;
  body.sentAt = Date.now();
  return body;
}

/** What the consumer does with each message. */
export function work(body) {
  return enrich(validate(body));
}

/** Latency histogram in whole milliseconds, and the first and last arrival times. */
export function newStats() {
  return { count: 0, first: 0, last: 0, buckets: {} };
}

export function record(stats, body) {
  const now = Date.now();
  if (stats.count === 0) stats.first = now;
  stats.last = now;
  stats.count++;
  const ms = Math.max(0, now - body.sentAt);
  stats.buckets[ms] = (stats.buckets[ms] || 0) + 1;
}
