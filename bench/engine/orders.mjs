// The input messages of the pipeline benchmark, as JSON text (the form a message arrives in).
export function order(i) {
  return JSON.stringify({
    id: i,
    customer: ' Customer-' + (i % 100) + ' ',
    currency: 'EUR',
    items: [
      { sku: 'A-' + (i % 7), qty: 1 + (i % 3), price: 9.5 },
      { sku: 'B-' + (i % 5), qty: 2, price: 20 },
      { sku: 'C-1', qty: 1, price: 0.99 },
    ],
  });
}
