// Publishes MESSAGES messages to the subject "link" as fast as the connection takes them.
//   node node-producer.mjs NATS_URL MESSAGES
import { connect } from 'nats';
import { message } from './work.mjs';

const [url, count] = [process.argv[2], Number(process.argv[3])];
const nc = await connect({ servers: url });
for (let i = 0; i < count; i++) {
  nc.publish('link', JSON.stringify(message(i)));
  if (i % 1000 === 999) await nc.flush();
}
await nc.flush();
await nc.drain();
