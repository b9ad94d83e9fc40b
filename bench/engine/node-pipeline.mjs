// Node.js side of the pipeline benchmark: the same three functions in one process. A message
// arrives as JSON text and leaves as JSON text, as in the engine.
//   node node-pipeline.mjs WARMUP MESSAGES  -> one line of JSON with the results
import { validate, enrich, summarize } from './functions.mjs';
import { order } from './orders.mjs';

const [warmup, messages] = process.argv.slice(2).map(Number);
const inputs = Array.from({ length: 1000 }, (_, i) => order(i));

function run(count) {
  let out = 0;
  for (let i = 0; i < count; i++) {
    out += JSON.stringify(summarize(enrich(validate(JSON.parse(inputs[i % inputs.length]))))).length;
  }
  return out;
}

run(warmup);
const start = process.hrtime.bigint();
run(messages);
const seconds = Number(process.hrtime.bigint() - start) / 1e9;

const hops = [[], [], []];
for (let i = 0; i < Math.min(messages, 200000); i++) {
  const text = inputs[i % inputs.length];
  let t = process.hrtime.bigint();
  const a = JSON.stringify(validate(JSON.parse(text)));
  let u = process.hrtime.bigint();
  hops[0].push(Number(u - t));
  const b = JSON.stringify(enrich(JSON.parse(a)));
  t = process.hrtime.bigint();
  hops[1].push(Number(t - u));
  JSON.stringify(summarize(JSON.parse(b)));
  u = process.hrtime.bigint();
  hops[2].push(Number(u - t));
}
const pct = (values, p) => {
  values.sort((x, y) => x - y);
  return values[Math.min(values.length - 1, Math.floor(values.length * p))] / 1000;
};
console.log(JSON.stringify({
  node: process.version,
  messagesPerSecond: messages / seconds,
  hopMicros: hops.map(h => ({ p50: pct(h, 0.5), p99: pct(h, 0.99) })),
}));
