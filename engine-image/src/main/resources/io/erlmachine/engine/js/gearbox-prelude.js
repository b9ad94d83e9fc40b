// Runs once in every gearbox's JavaScript context, before any gear code. It removes the ways
// out of the sandbox, freezes every built-in object that gears share (so one gear cannot change
// what another sees), and returns the functions the engine uses to bind each gear's module
// instance to its host and to hand messages from gear to gear as frozen values.
(() => {
  'use strict';
  // Host-language and shell globals: harmless without host access, but a gear has no use for
  // them, and each would be walked and frozen below. (console, print, load and Graal are not
  // even created: the context's options leave them out.)
  for (const name of ['Java', 'Packages', 'java', 'javafx', 'javax', 'com', 'org', 'edu', 'arguments', 'Graal', 'Polyglot',
    'load', 'loadWithNewGlobal', 'print', 'printErr', 'quit', 'console']) {
    delete globalThis[name];
  }
  const { freeze, isFrozen, keys, getPrototypeOf, getOwnPropertyDescriptor } = Object;
  const { ownKeys } = Reflect;
  const { isArray } = Array;
  const stringify = JSON.stringify;
  const parse = JSON.parse;
  const MAX_DEPTH = 256;

  // The host of the gear handling a message, so that console.* reaches that gear's log.
  let running = null;
  const text = (args) => args.map((a) => (typeof a === 'string' ? a : stringify(a))).join(' ');
  const logTo = (host) => freeze({
    debug: (...a) => host.log('DEBUG', text(a)),
    info: (...a) => host.log('INFO', text(a)),
    warn: (...a) => host.log('WARN', text(a)),
    error: (...a) => host.log('ERROR', text(a)),
  });
  const consoleLine = (level) => (...a) => {
    if (running !== null) running.log(level, text(a));
  };
  globalThis.console = {
    log: consoleLine('INFO'), info: consoleLine('INFO'), debug: consoleLine('DEBUG'),
    warn: consoleLine('WARN'), error: consoleLine('ERROR'),
  };

  // Freezes everything reachable from the roots: own properties (values, getters, setters) and
  // prototypes. Used once per context on the shared built-ins.
  const hardenAll = (roots) => {
    const seen = new Set();
    const stack = [...roots];
    while (stack.length > 0) {
      const o = stack.pop();
      if (o === null || (typeof o !== 'object' && typeof o !== 'function') || seen.has(o)) continue;
      seen.add(o);
      freeze(o);
      stack.push(getPrototypeOf(o));
      for (const key of ownKeys(o)) {
        const d = getOwnPropertyDescriptor(o, key);
        if (d === undefined) continue;
        if ('value' in d) {
          const v = d.value;
          if (v !== null && (typeof v === 'object' || typeof v === 'function')) stack.push(v);
        } else {
          if (d.get !== undefined) stack.push(d.get);
          if (d.set !== undefined) stack.push(d.set);
        }
      }
    }
    return seen.size;
  };

  // A message body as it travels between gears: a copy with JSON's meaning (plain objects,
  // arrays, strings, numbers, booleans, null; toJSON honoured; functions and undefined left
  // out), made of fresh frozen objects. The sender keeps no reference into it and no receiver
  // can change it, so one copy serves every receiver.
  const frozenCopy = (v, depth) => {
    if (v === null) return null;
    switch (typeof v) {
      case 'string': case 'boolean': return v;
      case 'number': return Number.isFinite(v) ? v : null;
      case 'bigint': throw new TypeError('a BigInt cannot be part of a message');
      case 'object': break;
      default: return undefined;
    }
    if (depth > MAX_DEPTH) throw new TypeError('the message is nested more than ' + MAX_DEPTH + ' levels deep');
    if (typeof v.toJSON === 'function') return frozenCopy(v.toJSON(), depth + 1);
    if (isArray(v)) {
      const n = v.length;
      const out = new Array(n);
      for (let i = 0; i < n; i++) {
        const e = frozenCopy(v[i], depth + 1);
        out[i] = e === undefined ? null : e;
      }
      return freeze(out);
    }
    const out = {};
    for (const key of keys(v)) {
      const e = frozenCopy(v[key], depth + 1);
      if (e !== undefined) out[key] = e;
    }
    return freeze(out);
  };

  // A freshly parsed body belongs to nobody else: freezing it in place is enough.
  const freezeParsed = (v) => {
    if (v === null || typeof v !== 'object' || isFrozen(v)) return v;
    freeze(v);
    if (isArray(v)) for (let i = 0; i < v.length; i++) freezeParsed(v[i]);
    else for (const key of keys(v)) freezeParsed(v[key]);
    return v;
  };

  const NO_HEADERS = freeze({});
  const readHeaders = (json) => (json === null ? NO_HEADERS : freeze(parse(json)));
  const need = (fn, signature) => {
    if (typeof fn !== 'function') throw new TypeError('the module must export a function ' + signature);
    return fn;
  };

  // Binds one module instance (a gear) to its host. Each gear has its own gear object and state.
  const bind = (ns, mode, host) => {
    const log = logTo(host);
    const send = host.emit;
    const gear = freeze({
      name: host.name,
      gearbox: host.gearbox,
      machine: host.machine,
      state: {},
      log,
      emit(body, headers) {
        const copy = frozenCopy(body === undefined ? null : body, 0);
        send(copy === undefined ? null : copy, headers === undefined || headers === null ? null : stringify(headers));
      },
      data(key) {
        const value = host.data(String(key));
        return value === null ? undefined : value;
      },
      http: freeze({
        request(options) {
          const body = options.body === undefined || options.body === null ? null
            : typeof options.body === 'string' ? options.body : stringify(options.body);
          return parse(host.http(String(options.method || 'GET').toUpperCase(), String(options.url),
            stringify(options.headers || {}), body));
        },
        get(url, headers) { return this.request({ method: 'GET', url, headers }); },
        post(url, body, headers) { return this.request({ method: 'POST', url, body, headers }); },
      }),
    });
    if (typeof ns.init === 'function') {
      running = host;
      try { ns.init(gear); } finally { running = null; }
    }
    const fn = mode === 'receive' ? need(ns.receive, 'receive(message, gear)')
      : mode === 'route' ? need(ns.route, 'route(message)') : need(ns.accept, 'accept(message)');
    const handle = (body, isText, headersJson, tracking) => {
      const message = freeze({
        body: isText ? freezeParsed(parse(body)) : body,
        headers: readHeaders(headersJson),
        tracking,
      });
      running = host;
      try {
        const result = fn(message, gear);
        if (mode === 'receive') {
          if (result !== undefined && result !== null) {
            if (typeof result.then === 'function') throw new TypeError('receive must return a value, not a promise');
            gear.emit(result);
          }
          return null;
        }
        if (mode === 'route') {
          return result === undefined || result === null ? [] : [].concat(result).map(String);
        }
        return !!result;
      } finally {
        running = null;
      }
    };
    return freeze({ handle, snapshot: () => stringify(gear.state) });
  };

  const hidden = [
    getPrototypeOf(function* () {}), getPrototypeOf(async function () {}), getPrototypeOf(async function* () {}),
    getPrototypeOf((function* () {})()), getPrototypeOf((async function* () {})()),
    getPrototypeOf([][Symbol.iterator]()), getPrototypeOf(new Map()[Symbol.iterator]()),
    getPrototypeOf(new Set()[Symbol.iterator]()), getPrototypeOf(''[Symbol.iterator]()),
    getPrototypeOf(/a/[Symbol.matchAll]('')), getPrototypeOf(Int8Array),
  ];
  const frozenObjects = hardenAll([globalThis, ...hidden]);
  return freeze({ bind, stringify, frozenCopy, frozenObjects });
})();
