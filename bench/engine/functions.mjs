// The three JSON-transforming steps of the engine pipeline benchmark. The engine runs each as
// its own gear; Node.js runs all three in one process. Same code on both sides.

export function validate(order) {
  if (typeof order.id !== 'number' || !Array.isArray(order.items) || order.items.length === 0) {
    throw new Error('invalid order ' + JSON.stringify(order));
  }
  for (const item of order.items) {
    if (typeof item.sku !== 'string' || !(item.qty > 0) || !(item.price >= 0)) {
      throw new Error('invalid item in order ' + order.id);
    }
  }
  return { ...order, customer: String(order.customer).trim().toLowerCase(), valid: true, itemCount: order.items.length };
}

export function enrich(order) {
  let total = 0;
  for (const item of order.items) {
    total += item.qty * item.price;
  }
  const tax = Math.round(total * 0.2 * 100) / 100;
  const tags = [];
  if (total > 30) tags.push('big');
  if (order.itemCount > 2) tags.push('many');
  return { ...order, total, tax, gross: total + tax, tags, region: order.customer.charCodeAt(0) % 2 === 0 ? 'eu' : 'us' };
}

export function summarize(order) {
  return {
    id: order.id,
    customer: order.customer,
    lines: order.items.map(item => item.sku + 'x' + item.qty).join(','),
    gross: order.gross,
    big: order.tags.includes('big'),
    region: order.region,
  };
}
