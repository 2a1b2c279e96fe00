// The whiteboard benchmark's clients: one server, four scenarios, one JSON result.
//
//   node bench/whiteboard/harness.mjs <plan.json>
//
// bench/whiteboard/run.py writes the plan (server, rooms, cookies, sizes) and
// starts each server; this file only talks to it. Every scenario uses the same
// client code against every server:
//   - editors, the joiner and the drawers are the real clients: yjs + y-websocket
//     (our server, the reference server, the relay) or @hocuspocus/provider;
//   - the fan-out's receivers and the idle sockets are raw `ws` sockets speaking
//     just enough of the protocol (send SyncStep1, answer the server's SyncStep1
//     with an empty SyncStep2, then count updates): a thousand Y.Docs applying
//     ten thousand updates a second would measure this process, not the server.
// Progress goes to stderr; the last stdout line is `RESULT <json>`.

import { readFileSync } from "node:fs";
import os from "node:os";

import { HocuspocusProvider } from "@hocuspocus/provider";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import WebSocket from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";

const plan = JSON.parse(readFileSync(process.argv[2], "utf8"));
process.setMaxListeners(0); // y-websocket adds an exit listener per provider
const server = plan.server;
const HOCUSPOCUS = server.kind === "hocuspocus";
const RELAY = server.kind === "relay";
const WAIT_MS = plan.wait_seconds * 1000; // bounds every wait; then the scenario fails

const SYNC = 0;
const AWARENESS = 1;
const AUTH = 2;
const SYNC_REPLY = 4; // Hocuspocus: a sync message sent as a reply
const STEP1 = 0;
const STEP2 = 1;
const UPDATE = 2;
const MARK = Buffer.from("~t=", "latin1"); // a drawer's send time, inside the update

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const tick = () => new Promise((resolve) => setImmediate(resolve));
const log = (...parts) => console.error(`[${server.name}]`, ...parts);

async function until(predicate, what, waitMs = WAIT_MS) {
  const deadline = Date.now() + waitMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await sleep(20);
  }
}

async function pool(items, limit, work) {
  const results = new Array(items.length);
  let next = 0;
  async function worker() {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index], index);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

// --- Counting what a socket receives, by kind of message

class Meter {
  constructor() {
    this.reset();
  }
  reset() {
    this.frames = 0;
    this.bytes = 0;
    this.sync = 0;
    this.awareness = 0;
    this.other = 0;
    this.last = now();
  }
  count(data) {
    const bytes = Buffer.from(data instanceof ArrayBuffer ? new Uint8Array(data) : data);
    this.frames += 1;
    this.bytes += bytes.length;
    this.last = now();
    const kind = messageType(bytes);
    if (kind === SYNC || kind === SYNC_REPLY) this.sync += 1;
    else if (kind === AWARENESS) this.awareness += 1;
    else this.other += 1;
  }
}

function messageType(bytes) {
  const decoder = decoding.createDecoder(bytes);
  if (HOCUSPOCUS) decoding.readVarString(decoder); // every message names its document
  return decoding.readVarUint(decoder);
}

function sum(meters) {
  const total = { frames: 0, bytes: 0, sync: 0, awareness: 0, other: 0 };
  for (const meter of meters) for (const key in total) total[key] += meter[key];
  return total;
}

// A browser's request: our server wants the session cookie and its own Origin.
// The peers ignore both. Compression off for all: Daphne does not offer it.
function socketClass(cookie, meter) {
  const headers = { Origin: server.origin, Cookie: cookie };
  return class BenchSocket extends WebSocket {
    constructor(url, protocols) {
      super(url, protocols, { headers, perMessageDeflate: false });
      if (meter) this.on("message", (data) => meter.count(data));
    }
  };
}

// --- Real clients

class Editor {
  // renew: false stops the awareness clock (each client re-sends its presence
  // every 15 s), so that what a join scenario counts is the join's alone.
  constructor(room, cookie, name, { meter = null, renew = true } = {}) {
    this.doc = new Y.Doc();
    this.elements = this.doc.getArray("elements");
    this.meter = meter;
    this.closes = [];
    this.synced = false;
    const WebSocketPolyfill = socketClass(cookie, meter);
    if (HOCUSPOCUS) {
      this.provider = new HocuspocusProvider({
        url: server.url,
        name: room,
        document: this.doc,
        token: "bench",
        WebSocketPolyfill,
      });
      this.provider.on("synced", () => {
        this.synced = true;
      });
      this.provider.on("close", ({ event }) => this.closes.push(event?.code));
      this.provider.setAwarenessField("user", { name, color: "#1971c2" });
    } else {
      this.provider = new WebsocketProvider(server.url, room, this.doc, {
        WebSocketPolyfill,
        // Node has BroadcastChannel: without this, clients of one process would
        // sync through it and bypass the server.
        disableBc: true,
        // The drawers hear nothing back from servers that do not echo; a browser
        // would hear its class's cursors. Do not let the watchdog reconnect them.
        messageReconnectTimeout: 600_000,
      });
      this.provider.on("sync", (state) => {
        this.synced = state;
      });
      this.provider.on("connection-close", (event) => this.closes.push(event?.code));
      this.provider.awareness.setLocalStateField("user", { name, color: "#1971c2" });
    }
    if (!renew) clearInterval(this.provider.awareness._checkInterval);
  }
  // The relay has no document: nobody may answer SyncStep1, so "open" is as far as
  // a client gets on its own.
  get ready() {
    if (RELAY) return this.provider.wsconnected;
    return this.synced;
  }
  draw(index, extra = {}) {
    const element = new Y.Map();
    element.set("pos", `a${index.toString(36).padStart(6, "0")}`);
    element.set("el", stroke(index, extra));
    this.elements.push([element]);
  }
  destroy() {
    this.provider.destroy();
    if (HOCUSPOCUS) this.provider.configuration.websocketProvider.destroy();
  }
}

// An Excalidraw freedraw element of about 20 points, as y-excalidraw stores it.
function stroke(index, extra) {
  const points = Array.from({ length: 20 }, (_, i) => [
    i * 3,
    Math.round(10 * Math.sin(i + index)),
  ]);
  return {
    id: `stroke-${index}-${Math.random().toString(36).slice(2, 10)}`,
    type: "freedraw",
    x: (index * 37) % 1200,
    y: (index * 53) % 800,
    width: 60,
    height: 20,
    strokeColor: "#1e1e1e",
    strokeWidth: 2,
    version: 1,
    versionNonce: index,
    points,
    ...extra,
  };
}

// --- Raw receivers

function encodeSync(room, step, payload) {
  const encoder = encoding.createEncoder();
  if (HOCUSPOCUS) encoding.writeVarString(encoder, room);
  encoding.writeVarUint(encoder, SYNC);
  encoding.writeVarUint(encoder, step);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

function encodeAuth(room) {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, room);
  encoding.writeVarUint(encoder, AUTH);
  encoding.writeVarUint(encoder, 0); // a token follows
  encoding.writeVarString(encoder, "bench");
  return encoding.toUint8Array(encoder);
}

const EMPTY_STATE = Y.encodeStateVector(new Y.Doc());
const EMPTY_UPDATE = Y.encodeStateAsUpdate(new Y.Doc());

// Resolves once synced (the server's SyncStep2 came); onUpdate(frame) per update.
function openReceiver(room, cookie, onUpdate = () => {}) {
  return new Promise((resolve, reject) => {
    const url = HOCUSPOCUS ? server.url : `${server.url}/${room}`;
    const socket = new (socketClass(cookie))(url);
    const timer = setTimeout(() => reject(new Error(`receiver in ${room} did not sync`)), WAIT_MS);
    const synced = () => {
      clearTimeout(timer);
      resolve(socket);
    };
    socket.on("open", () => {
      if (RELAY) return synced(); // nobody answers; listen only
      if (HOCUSPOCUS) socket.send(encodeAuth(room));
      socket.send(encodeSync(room, STEP1, EMPTY_STATE));
    });
    socket.on("message", (data) => {
      const decoder = decoding.createDecoder(data);
      if (HOCUSPOCUS) decoding.readVarString(decoder);
      const kind = decoding.readVarUint(decoder);
      if (kind === AUTH && HOCUSPOCUS && decoding.readVarUint(decoder) === 1) {
        reject(new Error(`receiver in ${room} refused`));
      }
      if (kind !== SYNC && kind !== SYNC_REPLY) return;
      const step = decoding.readVarUint(decoder);
      if (step === STEP1 && !RELAY) socket.send(encodeSync(room, STEP2, EMPTY_UPDATE));
      else if (step === STEP2) synced();
      else if (step === UPDATE) onUpdate(data);
    });
    socket.on("unexpected-response", (_request, response) => {
      reject(new Error(`receiver in ${room} refused: HTTP ${response.statusCode}`));
    });
    socket.on("close", (code) => {
      clearTimeout(timer);
      reject(new Error(`receiver in ${room} closed (${code})`));
    });
    socket.on("error", (error) => reject(error));
  });
}

function sentAt(frame) {
  const buffer = Buffer.isBuffer(frame) ? frame : Buffer.from(frame);
  const start = buffer.indexOf(MARK);
  if (start < 0) return null;
  const end = buffer.indexOf(0x7e, start + MARK.length); // "~"
  return Number(buffer.toString("latin1", start + MARK.length, end));
}

async function closeAll(sockets) {
  for (const socket of sockets) {
    socket.removeAllListeners("close");
    socket.on("error", () => {});
    socket.close();
  }
  await sleep(500);
}

// --- Measuring the server process

function serverRssKb() {
  const status = readFileSync(`/proc/${server.pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]);
}

function serverCpuSeconds() {
  const stat = readFileSync(`/proc/${server.pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / plan.clock_ticks; // utime + stime
}

// Nanoseconds a process's main thread spent runnable but waiting for a CPU: on a
// busy machine, the time it was starved rather than slow.
function waitingNs(pid) {
  return Number(readFileSync(`/proc/${pid}/schedstat`, "utf8").split(" ")[1]);
}

class CpuWindow {
  constructor() {
    this.wall = now();
    this.server = serverCpuSeconds();
    this.client = process.cpuUsage();
    this.serverWait = waitingNs(server.pid);
    this.clientWait = waitingNs(process.pid);
  }
  finish() {
    const seconds = (now() - this.wall) / 1000;
    const client = process.cpuUsage(this.client);
    return {
      server_cpu: (serverCpuSeconds() - this.server) / seconds,
      client_cpu: (client.user + client.system) / 1e6 / seconds,
      server_waiting: (waitingNs(server.pid) - this.serverWait) / 1e9 / seconds,
      client_waiting: (waitingNs(process.pid) - this.clientWait) / 1e9 / seconds,
      load: os.loadavg()[0],
    };
  }
}

// --- Scenarios

async function converge({ room, cookies, edits }) {
  const editors = cookies.map((cookie, i) => new Editor(room, cookie, `editor ${i}`));
  try {
    await until(() => editors.every((e) => e.ready), "the editors to sync");
    await sleep(500);
    if (editors.some((e) => e.elements.length)) throw new Error("the board was not empty");
    const total = editors.length * edits;
    const done = new Array(editors.length).fill(null);
    editors.forEach((editor, i) =>
      editor.elements.observe(() => {
        if (done[i] === null && editor.elements.length >= total) done[i] = now();
      }),
    );
    const cpu = new CpuWindow();
    const started = now();
    for (let round = 0; round < edits; round++) {
      editors.forEach((editor, i) => editor.draw(round * editors.length + i));
      await tick();
    }
    const editing = now() - started;
    let converged = true;
    try {
      const waitMs = plan.converge_wait_seconds * 1000;
      await until(() => done.every((t) => t !== null), "convergence", waitMs);
    } catch {
      converged = false;
    }
    const usage = cpu.finish();
    const lengths = editors.map((e) => e.elements.length);
    const states = new Set(
      editors.map((e) => Buffer.from(Y.encodeStateVector(e.doc)).toString("hex")),
    );
    return {
      clients: editors.length,
      edits,
      converged: converged && states.size === 1,
      seconds: converged ? (Math.max(...done) - started) / 1000 : null,
      editing_seconds: editing / 1000,
      fewest_elements: Math.min(...lengths),
      expected_elements: total,
      closes: editors.flatMap((e) => e.closes).filter((code) => code !== undefined),
      ...usage,
    };
  } finally {
    editors.forEach((e) => e.destroy());
    await sleep(500);
  }
}

async function quiet(meters, quietMs, what) {
  await until(() => meters.every((m) => now() - m.last >= quietMs), what);
}

async function join({ room, drawer, members, joiner, elements }) {
  const quietClient = () => ({ meter: new Meter(), renew: false });
  const teacher = new Editor(room, drawer, "teacher", quietClient());
  const editors = [teacher];
  try {
    await until(() => teacher.ready, "the teacher to sync");
    // One transaction: the room's content, as a board a class has been drawing on.
    teacher.doc.transact(() => {
      for (let i = 0; i < elements; i++) teacher.draw(i);
    });
    for (const [i, cookie] of members.entries()) {
      editors.push(new Editor(room, cookie, `pupil ${i}`, quietClient()));
    }
    await until(
      () => editors.every((e) => e.ready && e.elements.length === elements),
      "the room to sync",
    );
    const meters = editors.map((e) => e.meter);
    await quiet(meters, plan.quiet_ms, "the room to fall quiet");
    meters.forEach((m) => m.reset());
    const started = now();
    const newcomer = new Editor(room, joiner, "newcomer", quietClient());
    editors.push(newcomer);
    await until(
      () => newcomer.ready && newcomer.elements.length === elements,
      "the newcomer to sync",
    );
    const synced = now() - started;
    await quiet([...meters, newcomer.meter], plan.quiet_ms, "the join to settle");
    return {
      room_size: members.length + 1,
      elements,
      joiner_synced_ms: synced,
      to_joiner: sum([newcomer.meter]),
      to_others: sum(meters),
      total: sum([...meters, newcomer.meter]),
    };
  } finally {
    editors.forEach((e) => e.destroy());
    await sleep(500);
  }
}

async function memory({ rooms, sockets: count }) {
  // One socket per room first, so that loading a room is not counted per socket.
  const warm = await pool(rooms, 10, (room) => openReceiver(room.room, room.drawer));
  await sleep(2000);
  const before = serverRssKb();
  const targets = Array.from({ length: count }, (_, i) => {
    const room = rooms[i % rooms.length];
    const cookie = room.receivers[Math.floor(i / rooms.length)];
    if (cookie === undefined) throw new Error("more idle sockets than pupils in the rooms");
    return { room: room.room, cookie };
  });
  const started = now();
  const idle = await pool(targets, 20, (t) => openReceiver(t.room, t.cookie));
  const opening = (now() - started) / 1000;
  await sleep(3000);
  const after = serverRssKb();
  await closeAll([...warm, ...idle]);
  return {
    sockets: count,
    rss_before_kb: before,
    rss_after_kb: after,
    kb_per_socket: (after - before) / count,
    connects_per_second: count / opening,
  };
}

async function fanout({ rooms, rate, seconds, warmup_seconds }) {
  const latencies = [];
  const perRoom = rooms.map(() => ({ sent: [] }));
  let windowStart = Infinity;
  let windowEnd = Infinity;
  let deliveredInWindow = 0;
  let framesInWindow = 0;
  let duplicates = 0;
  const receivers = [];
  const editors = [];
  try {
    const targets = rooms.flatMap((room, r) =>
      room.receivers.map((cookie) => ({ room, r, cookie })),
    );
    const started = now();
    receivers.push(
      ...(await pool(targets, 20, ({ room, r, cookie }) => {
        const seen = new Set();
        return openReceiver(room.room, cookie, (frame) => {
          const sent = sentAt(frame);
          if (sent === null) return;
          const arrived = now();
          if (arrived >= windowStart && arrived < windowEnd) framesInWindow += 1;
          // A second copy of an update is work for the server, not news for the
          // reader: latency and deliveries count the first copy only.
          if (seen.has(sent)) {
            duplicates += 1;
            return;
          }
          seen.add(sent);
          if (arrived >= windowStart && arrived < windowEnd) deliveredInWindow += 1;
          if (sent >= windowStart && sent < windowEnd) latencies.push(arrived - sent);
        });
      })),
    );
    for (const [r, room] of rooms.entries()) {
      editors.push(new Editor(room.room, room.drawer, `drawer ${r}`));
    }
    await until(() => editors.every((e) => e.ready), "the drawers to sync");
    const connectSeconds = (now() - started) / 1000;
    log(`${receivers.length + editors.length} sockets open in ${connectSeconds.toFixed(1)} s`);
    await sleep(1000);

    const period = 1000 / rate;
    const timers = [];
    const begin = now();
    windowStart = begin + warmup_seconds * 1000;
    windowEnd = windowStart + seconds * 1000;
    let cpu = null;
    setTimeout(() => {
      cpu = new CpuWindow();
    }, warmup_seconds * 1000);
    editors.forEach((editor, r) => {
      let index = 0;
      const drawOne = () => {
        const at = now();
        if (at >= windowEnd) return;
        perRoom[r].sent.push(at);
        editor.draw(index++, { customData: { sent: `~t=${at.toFixed(3)}~` } });
      };
      // Spread the drawers over the period, as 33 teachers would be.
      const offset = (period * r) / editors.length;
      timers.push(setTimeout(() => timers.push(setInterval(drawOne, period)), offset));
    });
    await sleep(warmup_seconds * 1000 + seconds * 1000);
    const usage = cpu.finish();
    timers.forEach((t) => {
      clearTimeout(t);
      clearInterval(t);
    });
    const sentInWindow = perRoom.map((room) => room.sent.filter((t) => t >= windowStart).length);
    const expected = rooms.reduce(
      (total, room, r) => total + sentInWindow[r] * room.receivers.length,
      0,
    );
    // Let what is in flight arrive (bounded): late deliveries count in the latency.
    const drainUntil = Date.now() + plan.drain_seconds * 1000;
    while (latencies.length < expected && Date.now() < drainUntil) await sleep(100);
    latencies.sort((a, b) => a - b);
    const last = latencies.length - 1;
    const pick = (q) =>
      last < 0 ? null : latencies[Math.min(last, Math.floor(q * latencies.length))];
    const sent = sentInWindow.reduce((total, count) => total + count, 0);
    return {
      sockets: receivers.length + editors.length,
      rooms: rooms.length,
      rate,
      seconds,
      connect_seconds: connectSeconds,
      sent,
      expected,
      delivered: latencies.length,
      deliveries_per_second: deliveredInWindow / seconds,
      frames_per_second: framesInWindow / seconds,
      duplicates,
      p50_ms: pick(0.5),
      p99_ms: pick(0.99),
      max_ms: latencies.length ? latencies[latencies.length - 1] : null,
      drawer_closes: editors.flatMap((e) => e.closes).filter((code) => code !== undefined),
      ...usage,
    };
  } finally {
    editors.forEach((e) => e.destroy());
    await closeAll(receivers);
  }
}

const SCENARIOS = { memory, converge, join, fanout };

async function main() {
  const result = { server: server.name };
  for (const name of plan.scenarios) {
    log(`${name}…`);
    try {
      result[name] = await SCENARIOS[name](plan[name]);
    } catch (error) {
      result[name] = { error: String(error.message || error) };
    }
    log(`${name}:`, JSON.stringify(result[name]));
    await sleep(plan.pause_seconds * 1000);
  }
  console.log(`RESULT ${JSON.stringify(result)}`);
  process.exit(0);
}

main();
