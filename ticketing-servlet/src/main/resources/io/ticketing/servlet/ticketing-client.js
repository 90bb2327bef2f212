// ticketing-client.js: a dependency-free ES module for the live streams of the ticketing API: the
// statistics and seat maps of one event or of several on one connection, the lobby of every public
// event, and a signed-in user's own updates (/me/stream).
// Served by ticketing-servlet at <mount>/ticketing-client.js; documented in docs/browser-client.md.
//
//   import { openEventStream, openEventsStream, openLobbyStream, openMeStream } from '/api/ticketing-client.js';
//   const stream = openEventStream('/api', 12, {
//     seats: [['A', 1]],
//     onStatistics: (stats) => render(stats),
//     onSeatMap: (map) => drawAll(map),
//     onSeatChanges: (changes, frame) => drawSome(changes),
//   });
//   const board = openEventsStream('/api', [12, 13], { onStatistics: (stats) => row(stats.eventId, stats) });
//   const lobby = openLobbyStream('/api', { onStatistics: (totals) => card(totals), onRemoved: (id) => drop(id) });
//   const me = openMeStream('/api', { streamToken: () => fetchStreamToken(), onReservation: (r) => show(r) });
//   ...
//   stream.close();

/** What a character of a seat_map's `seats` stands for. */
export const SEAT_STATUS = Object.freeze({ a: 'available', r: 'reserved', s: 'sold' });

const SEAT_CODE = Object.freeze({ available: 'a', reserved: 'r', sold: 's' });

const DEFAULTS = Object.freeze({
  seats: [],
  streamToken: null,
  withCredentials: false,
  initialBackoffMs: 1000,
  maxBackoffMs: 30000,
  random: Math.random,
  EventSource: globalThis.EventSource,
});

const noop = () => {};

/**
 * The seat states of one subsection, as the stream last told them: `version`, `rows`, `cols`, and
 * `status(row, seat)` → 'available' | 'reserved' | 'sold'. Rows and seats count from 1.
 */
export class SeatMap {
  constructor(frame) {
    if (frame.seats.length !== frame.rows * frame.cols) {
      throw new Error(`seat_map of ${frame.section}:${frame.subsection} has ${frame.seats.length} seats, `
        + `expected ${frame.rows * frame.cols}`);
    }
    this.eventId = frame.eventId;
    this.section = frame.section;
    this.subsection = frame.subsection;
    this.rows = frame.rows;
    this.cols = frame.cols;
    this.version = frame.version;
    this.codes = frame.seats.split('');
  }

  /** The status of seat `seat` of row `row`, or undefined outside the subsection. */
  status(row, seat) {
    if (row < 1 || row > this.rows || seat < 1 || seat > this.cols) return undefined;
    return SEAT_STATUS[this.codes[(row - 1) * this.cols + seat - 1]];
  }

  /** Every seat as the server's one-character codes, row 1 first (the `seats` of a seat_map). */
  toString() {
    return this.codes.join('');
  }

  /** Applies the changes of one version; returns those that were news. */
  apply(version, changes) {
    this.version = version;
    const applied = [];
    for (const c of changes) {
      if (c.row < 1 || c.row > this.rows || c.seat < 1 || c.seat > this.cols) continue;
      const i = (c.row - 1) * this.cols + c.seat - 1;
      const code = SEAT_CODE[c.status];
      if (code && this.codes[i] !== code) {
        this.codes[i] = code;
        applied.push(c);
      }
    }
    return applied;
  }
}

/**
 * Opens the live stream of event `eventId` under the API mount `baseUrl` ('/api', or an absolute URL of
 * another origin that allows this page's origin), and keeps its newest statistics and the seat maps of
 * the subsections named in `options.seats` ([[section, subsection], ...]).
 *
 * Callbacks (each optional, called in the order the frames arrive):
 * - onStatistics(statistics, { initial }) — a new snapshot (initial_status or status_update);
 * - onSeatMap(seatMap) — a whole subsection (SeatMap), at the start and whenever the server sends one;
 * - onSeatChanges(changes, seatMap) — the seats of one subsection that moved at one version;
 * - onReset(reason) — the server told the client to start over: everything kept was dropped, and
 *   fresh statistics and seat maps follow;
 * - onStateChange(state) — 'connecting' | 'open' | 'reconnecting' | 'closed';
 * - onError(error) — a frame that could not be read, or a callback that threw (the stream goes on).
 *
 * Reconnection: after a dropped connection the browser reconnects by itself once, sending the last
 * `id:` as Last-Event-ID, so nothing already shown is sent again. If that fails too, or the server
 * refused the stream (429, 503, 404: EventSource gives up on those), this client opens a new stream
 * after min(maxBackoffMs, initialBackoffMs × 2^attempt), randomised between half and all of it, so that
 * the clients of a node that went away do not all come back at once; it starts over with fresh
 * statistics and seat maps. `streamToken` (a function returning a short-lived token from
 * `POST <mount>/stream-tokens`, or a promise of one) is asked for again before every new stream and sent
 * as the `streamToken` query parameter, so that no long-lived credential is ever put in a URL;
 * `withCredentials: true` sends cookies to another origin (CORS with allowCredentials).
 */
export function openEventStream(baseUrl, eventId, options = {}) {
  return new EventStream(baseUrl, eventId, options);
}

/**
 * Opens `GET <baseUrl>/stream?events=…`, up to 50 events on one connection (a browser allows six per
 * origin), and keeps the newest statistics of each and the seat maps of the subsections named in
 * `options.seats` ([[eventId, section, subsection], ...], at most 20), with the same reconnects, backoff
 * and `streamToken` handling as openEventStream.
 *
 * Callbacks (each optional, called in the order the frames arrive; every frame names its event):
 * - onStatistics(statistics, { initial }) — a newer snapshot of event `statistics.eventId`;
 * - onSeatMap(seatMap), onSeatChanges(changes, seatMap) — as for openEventStream, `seatMap.eventId` saying
 *   whose;
 * - onReset(reason) — the server told the client to start over, which always stands for the whole
 *   stream: the statistics and seat maps of every event were dropped, and fresh ones follow;
 * - onStateChange(state), onError(error) — as for openEventStream.
 *
 * The stream's `id:` is one cursor for all its events: the browser's own retry sends it as
 * Last-Event-ID and the server resumes every event from it, sending again only what changed. A new
 * stream after a backoff starts every event over with initial_status and seat_map (replacing what was
 * kept). To follow other events, close the stream and open another (a cursor belongs to its list).
 */
export function openEventsStream(baseUrl, eventIds, options = {}) {
  return new EventsStream(baseUrl, eventIds, options);
}

/**
 * Opens `GET <baseUrl>/stream?all=true`, the lobby: the totals (statistics without sections) of every
 * public event, the set `GET /events` lists, with the same reconnects, backoff and jitter as
 * openEventStream. Anyone may open it; no `streamToken` is needed.
 *
 * Callbacks (each optional, called in the order the frames arrive):
 * - onStatistics(totals, { initial }) — `initial: true` when event `totals.eventId` is in the set: on
 *   connect for each event, and later for each event that joins (a new event, a published draft, seats
 *   free again); `initial: false` for a newer state of one (older ones dropped);
 * - onRemoved(eventId) — the event left the set (sold out, ended, unpublished);
 * - onReset() — a new connection opened after another: every connection starts with the full set, so
 *   everything kept was dropped (events that left while no stream was open included), and an
 *   initial_status of each event in the set follows;
 * - onStateChange(state), onError(error) — as for openEventStream.
 */
export function openLobbyStream(baseUrl, options = {}) {
  return new LobbyStream(baseUrl, options);
}

/**
 * Opens `GET <baseUrl>/me/stream`, the signed-in user's own updates, with the same reconnects, backoff
 * and `streamToken` handling as openEventStream. The stream needs a user: pass `streamToken` (or
 * `withCredentials` with a cookie the server accepts). It has no `id:`s, so every (re)connect starts
 * from the current state: a buyer's open holds, a seller's events.
 *
 * It keeps a buyer's open holds in `holds` (reservation id → { reservation, expiresAt (ms since the
 * epoch, the server's clock), expiring }): a hold joins when the stream says it is held and leaves when
 * it says it ended. A hold that ended while no stream was open is never announced (a new connection
 * sends only what is still held): pass `heldReservations` (a function returning the buyer's held
 * reservations, or a promise of them, e.g. the items of `GET /me/reservations?status=held`) and after
 * every reconnect the holds that list lacks, and that the stream has not spoken of since it was asked,
 * leave with onHoldDropped.
 *
 * Callbacks (each optional, called in the order the frames arrive):
 * - onReservation(reservation) — a buyer's reservation, on connect for each one that is held, then
 *   each time one is made or changes status (held, confirmed, cancelled, expired);
 * - onReservationExpiring(reservation) — once per hold and connection, when the hold is about to lapse
 *   (the server's reservationExpiringLead, 60 s by default, before its expiresAt);
 * - onHoldDropped(reservation) — a kept hold that `heldReservations` no longer lists: it ended while no
 *   stream was open (its last body as the stream told it; `GET /reservations/{id}` has how it ended);
 * - onStatistics(statistics, { initial }) — a seller's event: initial_status of each of their events on
 *   connect and of each event they create later, then status_update per change (older ones dropped);
 * - onStateChange(state), onError(error) — as for openEventStream.
 */
export function openMeStream(baseUrl, options = {}) {
  return new MeStream(baseUrl, options);
}

/**
 * What every stream of this module shares: one EventSource at a time, the browser's own retry given one
 * chance, then new streams with backoff and jitter and a fresh stream token each, the connection state,
 * and callbacks that cannot break the stream. A subclass names its `path()`, its `query(params)` and
 * the frames it `listen`s to, and calls `start()` at the end of its constructor.
 */
class LiveStream {
  constructor(baseUrl, options) {
    this.options = { ...DEFAULTS, ...options };
    if (typeof this.options.EventSource !== 'function') {
      throw new Error('this browser has no EventSource');
    }
    this.baseUrl = String(baseUrl).replace(/\/+$/, '');
    this.state = null;
    this.attempt = 0;
    this.source = null;
    this.timer = null;
    this.closed = false;
    this.failedSinceOpen = 0;
  }

  /** Stops the stream and any pending reconnect; no callback is called afterwards. */
  close() {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.timer);
    if (this.source) this.source.close();
    this.setState('closed', true);
  }

  start() {
    this.setState('connecting');
    this.connect();
  }

  async connect() {
    if (this.closed) return;
    let url;
    try {
      url = await this.url();
    } catch (e) {
      this.report(e);
      this.retryLater();
      return;
    }
    if (this.closed) return;
    const source = new this.options.EventSource(url, { withCredentials: this.options.withCredentials });
    this.source = source;
    this.failedSinceOpen = 0;
    const on = (type, handler) => source.addEventListener(type, (e) => {
      if (this.source !== source || this.closed) return;
      try {
        handler(e);
      } catch (err) {
        this.report(err);
      }
    });
    on('open', () => {
      this.attempt = 0;
      this.failedSinceOpen = 0;
      this.setState('open');
    });
    this.listen(on);
    on('error', () => this.onError(source));
  }

  async url() {
    const params = new URLSearchParams();
    this.query(params);
    const token = typeof this.options.streamToken === 'function'
      ? await this.options.streamToken() : this.options.streamToken;
    if (token) params.set('streamToken', token);
    const query = params.toString();
    return `${this.baseUrl}${this.path()}${query ? '?' + query : ''}`;
  }

  /**
   * EventSource reports a dropped connection with readyState CONNECTING (it retries by itself, with
   * Last-Event-ID) and a refused one with CLOSED (it gave up). The browser's own retry is given one
   * chance; after that this client takes over with backoff and jitter.
   */
  onError(source) {
    this.failedSinceOpen++;
    if (source.readyState !== this.options.EventSource.CLOSED && this.failedSinceOpen === 1) {
      this.setState('reconnecting');
      return;
    }
    source.close();
    this.source = null;
    this.retryLater();
  }

  retryLater() {
    if (this.closed) return;
    this.setState('reconnecting');
    const ceiling = Math.min(this.options.maxBackoffMs, this.options.initialBackoffMs * 2 ** this.attempt);
    const delay = ceiling / 2 + this.options.random() * ceiling / 2;
    this.attempt++;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.connect(), delay);
  }

  setState(state, evenIfClosed = false) {
    if (this.state === state || (this.closed && !evenIfClosed)) return;
    this.state = state;
    this.call('onStateChange', state);
  }

  call(name, ...args) {
    const callback = this.options[name] || noop;
    try {
      callback(...args);
    } catch (e) {
      this.report(e);
    }
  }

  report(error) {
    if (this.options.onError) {
      try {
        this.options.onError(error);
      } catch (ignored) {
        // an error handler that throws has nowhere left to report to
      }
    }
  }
}

/**
 * What the event streams share: the newest statistics of each event (`latest`: event id → statistics)
 * and the seat maps of the named subsections, kept from initial_status, status_update, seat_map,
 * seat_changes and reset frames. A subclass says which event a frame belongs to (`eventOf(frame)`).
 */
class StatisticsStream extends LiveStream {
  constructor(baseUrl, options) {
    super(baseUrl, options);
    this.latest = new Map();
    this.maps = new Map();
  }

  eventOf(frame) {
    return frame.eventId;
  }

  listen(on) {
    on('initial_status', (e) => this.onStatistics(JSON.parse(e.data), true));
    on('status_update', (e) => this.onStatistics(JSON.parse(e.data), false));
    on('seat_map', (e) => this.onSeatMap(JSON.parse(e.data)));
    on('seat_changes', (e) => this.onSeatChanges(JSON.parse(e.data)));
    on('reset', (e) => this.onReset(e.data ? JSON.parse(e.data).reason : undefined));
  }

  onStatistics(statistics, initial) {
    if (keepNewest(this.latest, this.eventOf(statistics), statistics, initial)) {
      this.call('onStatistics', statistics, { initial });
    }
  }

  onSeatMap(frame) {
    const map = new SeatMap(frame);
    this.maps.set(mapKey(this.eventOf(frame), frame.section, frame.subsection), map);
    this.call('onSeatMap', map);
  }

  onSeatChanges(frame) {
    const eventId = this.eventOf(frame);
    const bySubsection = new Map();
    for (const change of frame.changes) {
      const k = mapKey(eventId, change.section, change.subsection);
      if (!bySubsection.has(k)) bySubsection.set(k, []);
      bySubsection.get(k).push(change);
    }
    for (const [k, changes] of bySubsection) {
      const map = this.maps.get(k);
      if (!map || frame.version <= map.version) continue; // a map at this version or newer already has them
      const applied = map.apply(frame.version, changes);
      if (applied.length > 0) this.call('onSeatChanges', applied, map);
    }
  }

  onReset(reason) {
    this.latest.clear();
    this.maps.clear();
    this.call('onReset', reason);
  }
}

/** The stream of one event; made by openEventStream. */
export class EventStream extends StatisticsStream {
  constructor(baseUrl, eventId, options) {
    super(baseUrl, options);
    this.eventId = eventId;
    this.seats = this.options.seats.map(([section, subsection]) => [String(section), Number(subsection)]);
    this.start();
  }

  /** The newest statistics, or null before the first (and after a reset). */
  get statistics() {
    return this.latest.get(this.eventId) ?? null;
  }

  /** The seat map of a subsection named in `seats`, once its first seat_map arrived; else undefined. */
  seatMap(section, subsection) {
    return this.maps.get(mapKey(this.eventId, section, subsection));
  }

  eventOf() {
    return this.eventId; // every frame of this stream is of this event
  }

  path() {
    return `/events/${encodeURIComponent(this.eventId)}/stream`;
  }

  query(params) {
    if (this.seats.length > 0) params.set('seats', this.seats.map(([s, n]) => `${s}:${n}`).join(','));
  }
}

/** The stream of several events on one connection; made by openEventsStream. */
export class EventsStream extends StatisticsStream {
  constructor(baseUrl, eventIds, options) {
    super(baseUrl, options);
    this.eventIds = Array.from(eventIds, Number);
    this.seats = this.options.seats.map(([eventId, section, subsection]) =>
      [Number(eventId), String(section), Number(subsection)]);
    this.start();
  }

  /** The newest statistics of each event that has sent any: a Map from event id to statistics. */
  get statistics() {
    return this.latest;
  }

  /** The seat map of a subsection named in `seats`, once its first seat_map arrived; else undefined. */
  seatMap(eventId, section, subsection) {
    return this.maps.get(mapKey(Number(eventId), section, subsection));
  }

  path() {
    return '/stream';
  }

  query(params) {
    params.set('events', this.eventIds.join(','));
    if (this.seats.length > 0) params.set('seats', this.seats.map(([e, s, n]) => `${e}/${s}:${n}`).join(','));
  }
}

/** The lobby stream of every public event; made by openLobbyStream. */
export class LobbyStream extends LiveStream {
  constructor(baseUrl, options) {
    super(baseUrl, options);
    this.events = new Map();
    this.opened = false;
    this.start();
  }

  path() {
    return '/stream';
  }

  query(params) {
    params.set('all', 'true');
  }

  listen(on) {
    on('open', () => this.onOpen());
    on('initial_status', (e) => this.onStatistics(JSON.parse(e.data), true));
    on('status_update', (e) => this.onStatistics(JSON.parse(e.data), false));
    on('removed', (e) => this.onRemoved(JSON.parse(e.data).eventId));
  }

  onOpen() {
    if (this.opened) {
      this.events.clear();
      this.call('onReset');
    }
    this.opened = true;
  }

  onStatistics(totals, initial) {
    if (keepNewest(this.events, totals.eventId, totals, initial)) this.call('onStatistics', totals, { initial });
  }

  onRemoved(eventId) {
    this.events.delete(eventId);
    this.call('onRemoved', eventId);
  }
}

/** A signed-in user's own stream; made by openMeStream. */
export class MeStream extends LiveStream {
  constructor(baseUrl, options) {
    super(baseUrl, options);
    this.statistics = new Map();
    this.holds = new Map();
    this.heard = 0; // frames about reservations so far: what a hold was last heard at
    this.opened = false;
    this.start();
  }

  path() {
    return '/me/stream';
  }

  query() {
    // the stream is routed by the authenticated user alone: nothing to name
  }

  listen(on) {
    on('open', () => this.onOpen());
    on('reservation', (e) => this.onReservation(JSON.parse(e.data)));
    on('reservation_expiring', (e) => this.onReservationExpiring(JSON.parse(e.data)));
    on('initial_status', (e) => this.onStatistics(JSON.parse(e.data), true));
    on('status_update', (e) => this.onStatistics(JSON.parse(e.data), false));
  }

  onOpen() {
    if (this.opened && this.options.heldReservations) this.dropEndedHolds();
    this.opened = true;
  }

  onReservation(reservation) {
    this.heard++;
    if (reservation.status === 'held') {
      const kept = this.holds.get(reservation.id);
      this.keepHold(reservation, kept ? kept.expiring : false);
    } else {
      this.holds.delete(reservation.id);
    }
    this.call('onReservation', reservation);
  }

  onReservationExpiring(reservation) {
    this.heard++;
    if (reservation.status === 'held') this.keepHold(reservation, true);
    this.call('onReservationExpiring', reservation);
  }

  keepHold(reservation, expiring) {
    this.holds.set(reservation.id, { reservation, expiresAt: Date.parse(reservation.expiresAt), expiring, heard: this.heard });
  }

  /** Asks `heldReservations`, then drops the kept holds it lacks that no frame spoke of since the ask. */
  async dropEndedHolds() {
    const askedAt = this.heard;
    let held;
    try {
      held = new Set(Array.from(await this.options.heldReservations(), (r) => r.id));
    } catch (e) {
      this.report(e);
      return;
    }
    if (this.closed) return;
    for (const [id, hold] of this.holds) {
      if (!held.has(id) && hold.heard <= askedAt) {
        this.holds.delete(id);
        this.call('onHoldDropped', hold.reservation);
      }
    }
  }

  onStatistics(statistics, initial) {
    if (keepNewest(this.statistics, statistics.eventId, statistics, initial)) {
      this.call('onStatistics', statistics, { initial });
    }
  }
}

/**
 * Keeps `statistics` as event `eventId`'s in `kept` unless it is a status_update no newer than the one
 * kept (an initial_status always replaces it); says whether it was kept.
 */
function keepNewest(kept, eventId, statistics, initial) {
  const last = kept.get(eventId);
  if (!initial && last && statistics.version <= last.version) return false;
  kept.set(eventId, statistics);
  return true;
}

function mapKey(eventId, section, subsection) {
  return `${eventId}/${section}:${subsection}`;
}
