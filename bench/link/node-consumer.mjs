// Consumes WARMUP + MESSAGES messages from "link" (a queue group, as a Pipeline target), does
// the work on each, and prints the statistics of the last MESSAGES as one line of JSON.
//   node node-consumer.mjs NATS_URL WARMUP MESSAGES
import { connect } from 'nats';
import { work, newStats, record } from './work.mjs';

const [url, warmup, count] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
const nc = await connect({ servers: url });
const stats = newStats();
const sub = nc.subscribe('link', { queue: 'workers' });
console.error('ready');
for await (const m of sub) {
  const body = JSON.parse(m.string());
  JSON.stringify(work(body));
  if (body.seq >= warmup) record(stats, body);
  if (stats.count === count) break;
}
console.log(JSON.stringify(stats));
await nc.close();
