// The example app's page: events list (live from the lobby stream, or a seller's own from /me/stream),
// event creation, a live seat map fed by Server-Sent Events, and the signed-in user's own live panel (a
// buyer's holds, a seller's dashboard) from /me/stream.
// Plain browser JavaScript, no build step. Talks only to the app's own /api; the streams are kept by the
// library's browser client, which the API mount serves.
import { openEventStream, openLobbyStream, openMeStream } from '/api/ticketing-client.js';

(() => {
  'use strict';

  const API = '/api';
  const MAX_DRAWN_SEATS = 6000;
  const MAX_SEATS_PER_RESERVATION = 50;
  const DEFAULT_IDS = { buyer: 7, seller: 3 };

  const $ = (id) => document.getElementById(id);
  const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
  const formatMoney = (cents) => money.format(cents / 100);
  const formatCount = (n) => Number(n).toLocaleString('en-US');
  const formatTime = (iso) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });

  /** Creates an element: h('button', {class: 'btn', onclick: f}, 'text', child). */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
      else if (key === 'class') el.className = value;
      else el.setAttribute(key, value === true ? '' : value);
    }
    for (const child of children.flat()) {
      if (child !== null && child !== undefined) el.append(child instanceof Node ? child : String(child));
    }
    return el;
  }

  let toastTimer = null;
  function toast(message, kind) {
    const el = $('toast');
    el.textContent = message;
    el.dataset.kind = kind || 'info';
    el.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { el.hidden = true; }, 4500);
  }

  function randomKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  // ---------------------------------------------------------------------------------------------
  // Identity: in demo mode the page asks POST /api/demo/token for a token of the chosen role and id;
  // otherwise the user pastes a token. The token goes in the Authorization header only: a stream of an
  // event that is not public (EventSource cannot send headers) is opened with a 60 s stream token from
  // POST /api/stream-tokens, never with the bearer token in the URL.

  class ApiError extends Error {
    constructor(status, body) {
      const error = (body && body.error) || {};
      super(error.message || `HTTP ${status}`);
      this.status = status;
      this.code = error.code || 'http_' + status;
      this.field = error.field || null;
    }
  }

  const auth = {
    demo: false,
    role: 'buyer',
    userId: DEFAULT_IDS.buyer,
    pastedToken: null,
    tokens: new Map(),

    key() { return this.role + ':' + this.userId; },

    load() {
      const saved = JSON.parse(localStorage.getItem('ticketing.identity') || 'null');
      if (saved && (saved.role === 'buyer' || saved.role === 'seller') && saved.userId > 0) {
        this.role = saved.role;
        this.userId = saved.userId;
      }
      this.pastedToken = sessionStorage.getItem('ticketing.token');
      if (this.pastedToken) this.adoptClaims(this.pastedToken);
    },

    save() {
      localStorage.setItem('ticketing.identity', JSON.stringify({ role: this.role, userId: this.userId }));
    },

    /** Reads role and id from a pasted token, for display only: the server verifies it. */
    adoptClaims(token) {
      try {
        const payload = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
        if (payload.role === 'buyer' || payload.role === 'seller') this.role = payload.role;
        if (/^[1-9][0-9]*$/.test(payload.sub || '')) this.userId = Number(payload.sub);
        return true;
      } catch (e) {
        return false;
      }
    },

    async detectDemoMode() {
      const response = await fetch(API + '/demo/token', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ userId: this.userId, role: this.role }),
      });
      this.demo = response.ok;
      if (this.demo) this.tokens.set(this.key(), (await response.json()).token);
    },

    async token() {
      if (!this.demo) return this.pastedToken;
      const key = this.key();
      if (!this.tokens.has(key)) {
        const body = await request('POST', '/demo/token', { userId: this.userId, role: this.role }, { anonymous: true });
        this.tokens.set(key, body.token);
      }
      return this.tokens.get(key);
    },
  };

  /**
   * The server's clock, as read from the Date header of the API's answers, so that a hold's countdown to
   * its expiresAt is right even when this computer's clock is off. A Date of second S was written in
   * [S, S + 1 s), between sending and receiving: each answer bounds the offset (server − local), and the
   * bounds of all answers are intersected (restarting from the newest if the clocks jumped apart), so the
   * estimate tightens to within half a second plus half the fastest round trip.
   */
  const serverClock = {
    low: -Infinity,
    high: Infinity,

    observe(dateHeader, sentAt, receivedAt) {
      const date = Date.parse(dateHeader || '');
      if (Number.isNaN(date)) return;
      const low = date - receivedAt;
      const high = date + 1000 - sentAt;
      if (low > this.high || high < this.low) {
        this.low = low;
        this.high = high;
      } else {
        this.low = Math.max(this.low, low);
        this.high = Math.min(this.high, high);
      }
    },

    /** Milliseconds since the epoch on the server's clock; this computer's clock until an answer came. */
    now() {
      return Date.now() + (Number.isFinite(this.low) ? (this.low + this.high) / 2 : 0);
    },
  };

  /** Calls the API; resolves with the parsed body, rejects with ApiError. Retries once on 401 in demo mode. */
  async function request(method, path, body, options) {
    const opts = options || {};
    const headers = { Accept: 'application/json' };
    if (body !== undefined && body !== null) headers['Content-Type'] = 'application/json';
    if (opts.idempotencyKey) headers['Idempotency-Key'] = opts.idempotencyKey;
    const token = opts.anonymous ? null : await auth.token();
    if (token) headers.Authorization = 'Bearer ' + token;
    const sentAt = Date.now();
    const response = await fetch(API + path, {
      method,
      headers,
      body: body === undefined || body === null ? undefined : JSON.stringify(body),
    });
    serverClock.observe(response.headers.get('Date'), sentAt, Date.now());
    const parsed = (response.headers.get('Content-Type') || '').includes('json') ? await response.json() : null;
    if (response.status === 401 && auth.demo && !opts.retried) {
      auth.tokens.delete(auth.key());
      return request(method, path, body, { ...opts, retried: true });
    }
    if (!response.ok) throw new ApiError(response.status, parsed);
    return parsed;
  }

  /**
   * A 60-second stream token for a stream that needs a user (EventSource cannot send the bearer token);
   * null when not signed in, and the stream is then refused as it would be without one.
   */
  const streamToken = () => request('POST', '/stream-tokens', {}).then((r) => r.token, () => null);

  function renderIdentity() {
    $('identity').hidden = !auth.demo;
    $('token-form').hidden = auth.demo;
    $('demo-banner').hidden = !auth.demo;
    $('role-buyer').setAttribute('aria-pressed', String(auth.role === 'buyer'));
    $('role-seller').setAttribute('aria-pressed', String(auth.role === 'seller'));
    $('user-id').value = auth.userId;
    $('token-who').textContent = auth.pastedToken ? `Signed in as ${auth.role} #${auth.userId}` : 'Not signed in';
    document.body.dataset.role = auth.role;
  }

  function switchIdentity(role, userId) {
    if (role === auth.role && userId === auth.userId) return;
    auth.role = role;
    auth.userId = userId;
    auth.save();
    renderIdentity();
    route();
  }

  $('role-buyer').addEventListener('click', () => switchIdentity('buyer', auth.role === 'buyer' ? auth.userId : DEFAULT_IDS.buyer));
  $('role-seller').addEventListener('click', () => switchIdentity('seller', auth.role === 'seller' ? auth.userId : DEFAULT_IDS.seller));
  $('user-id').addEventListener('change', (e) => {
    const id = Number(e.target.value);
    if (Number.isInteger(id) && id > 0) switchIdentity(auth.role, id);
    else e.target.value = auth.userId;
  });
  $('token-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const token = $('token-input').value.trim();
    if (!token || !auth.adoptClaims(token)) {
      toast('That does not look like a JWT.', 'error');
      return;
    }
    auth.pastedToken = token;
    sessionStorage.setItem('ticketing.token', token);
    $('token-input').value = '';
    renderIdentity();
    route();
  });

  // ---------------------------------------------------------------------------------------------
  // Routing: #/ is the list, #/events/{id} an event.

  let current = null; // the open view's teardown

  let mePanel = null; // the home page's own live panel (buyer's holds, seller's dashboard)

  function route() {
    if (current) current.close();
    current = null;
    if (mePanel) mePanel.close();
    mePanel = null;
    const match = /^#\/events\/(\d+)$/.exec(location.hash);
    for (const id of ['view-list', 'view-event', 'view-missing']) $(id).hidden = true;
    if (match) {
      current = openEvent(Number(match[1]));
    } else {
      mePanel = openMePanel();
      current = openList(mePanel);
    }
  }

  window.addEventListener('hashchange', route);

  // ---------------------------------------------------------------------------------------------
  // Events list and creation form.

  let listScope = 'public';

  /** The list view: the public events from the lobby stream, or a seller's own from `me` (their /me/stream). */
  function openList(me) {
    $('view-list').hidden = false;
    document.title = 'Events · Ticketing';
    const isSeller = auth.role === 'seller';
    if (!isSeller) listScope = 'public';
    $('list-tabs').hidden = !isSeller;
    $('new-event').hidden = !isSeller;
    if (!isSeller) $('create-form').hidden = true;
    for (const tab of $('list-tabs').children) tab.setAttribute('aria-selected', String(tab.dataset.scope === listScope));
    return listScope === 'public' ? openLobby() : openMine(me);
  }

  /**
   * The public list, live from the lobby stream (GET /stream?all=true, kept by the browser client): its
   * frames carry each event's totals; events appear and disappear as the stream says, and every
   * (re)connect starts again from the full set.
   */
  function openLobby() {
    const list = liveList(request('GET', '/events?limit=200', null, { anonymous: true }),
      (id) => request('GET', `/events/${id}`, null, { anonymous: true }));
    const stream = openLobbyStream(API, {
      onStatistics: list.update,
      onRemoved: list.remove,
      onReset: list.clear,
      onStateChange: (state) => setConnectionState($('list-state'), state),
      onError: (error) => console.warn('lobby stream:', error),
    });
    return { close() { stream.close(); list.close(); } };
  }

  /**
   * A seller's own events, drafts included, live from their /me/stream (which the dashboard above shares):
   * the first page of GET /events?sellerId= is read once for names and prices, then every change and
   * every event created later comes from the stream. No polling.
   */
  function openMine(me) {
    if (!me) {
      setConnectionState($('list-state'), 'closed');
      renderList([]);
      return { close() {} };
    }
    const list = liveList(request('GET', `/events?sellerId=${auth.userId}&limit=100`),
      (id) => request('GET', `/events/${id}`));
    const unfollow = me.follow({
      onStatistics: list.update,
      onStateChange: (state) => setConnectionState($('list-state'), state),
    });
    return { close() { unfollow(); list.close(); } };
  }

  /**
   * A list of event cards fed by statistics frames: an event's name, venue and prices are read once, from
   * `firstPage` (a promise of a page of GET /events) or, for an event it lacks, with `readBody(id)`. Every
   * call waits for the first page, in order (callbacks of one promise run in the order added).
   */
  function liveList(firstPage, readBody) {
    let closed = false;
    const shown = new Map(); // event id -> event body, with the newest statistics
    const waiting = new Map(); // event id -> newest statistics, while its body is read
    let known = new Map(); // event bodies of the first page, by id
    let drawScheduled = false;
    const draw = () => {
      if (drawScheduled) return;
      drawScheduled = true;
      requestAnimationFrame(() => {
        drawScheduled = false;
        if (!closed) renderList([...shown.values()].sort((a, b) => b.id - a.id));
      });
    };
    const show = (event, stats) => {
      shown.set(event.id, { ...event, status: stats.status, statistics: stats });
      draw();
    };
    const fetchBody = async (id) => {
      try {
        const event = await readBody(id);
        const stats = waiting.get(id);
        waiting.delete(id);
        if (!closed && stats) show(event, stats);
      } catch (e) {
        waiting.delete(id); // gone since: the stream says so
      }
    };
    const read = firstPage.then((page) => { known = new Map(page.items.map((e) => [e.id, e])); },
      (e) => { if (!closed) toast('Could not load events: ' + e.message, 'error'); });
    const later = (handle) => (...args) => read.then(() => { if (!closed) handle(...args); });
    return {
      update: later((stats) => {
        const id = stats.eventId;
        const event = shown.get(id) || known.get(id);
        if (event) {
          show(event, stats);
        } else {
          const reading = waiting.has(id);
          waiting.set(id, stats);
          if (!reading) fetchBody(id);
        }
      }),
      remove: later((id) => {
        shown.delete(id);
        waiting.delete(id);
        draw();
      }),
      clear: later(() => {
        shown.clear();
        draw();
      }),
      close() { closed = true; },
    };
  }

  function renderList(items) {
    const list = $('event-list');
    list.replaceChildren(...items.map(eventCard));
    const empty = $('empty-list');
    empty.hidden = items.length > 0;
    empty.textContent = listScope === 'mine' ? 'You have no events yet. Create one with “New event”.'
      : auth.role === 'seller' ? 'No events on sale yet. Create one with “New event”.'
        : 'No events on sale yet. Switch to Seller at the top to create one.';
  }

  function eventCard(event) {
    const s = event.statistics;
    const prices = event.seatingConfig.sections.map((x) => x.price);
    const from = Math.min(...prices);
    return h('a', { class: 'event-card', href: `#/events/${event.id}`, 'data-event-id': event.id },
      h('div', { class: 'row' },
        h('h2', null, event.name),
        h('span', { class: 'badge', 'data-status': event.status, 'data-inactive': String(!event.active) }, event.status.replace('_', ' '))),
      h('div', { class: 'row muted' }, h('span', null, event.venueName || 'Venue to be announced'),
        h('span', null, from === Math.max(...prices) ? formatMoney(from) : 'from ' + formatMoney(from))),
      bar(s),
      h('div', { class: 'row muted' },
        h('span', null, `${formatCount(s.remainingTickets)} of ${formatCount(s.totalTickets)} left`),
        h('span', null, `${formatCount(s.allocatedTickets)} held · ${formatCount(s.confirmedTickets)} sold`)));
  }

  function bar(s) {
    const pct = (n) => (s.totalTickets ? (100 * n) / s.totalTickets : 0) + '%';
    return h('div', { class: 'bar' },
      h('span', { class: 'sold', style: `width:${pct(s.confirmedTickets)}` }),
      h('span', { class: 'held', style: `width:${pct(s.allocatedTickets)}` }));
  }

  for (const tab of $('list-tabs').children) {
    tab.addEventListener('click', () => {
      listScope = tab.dataset.scope;
      route();
    });
  }

  const createForm = $('create-form');
  $('new-event').addEventListener('click', () => {
    createForm.hidden = false;
    if (!$('cf-sections').children.length) {
      addSectionRow('A', 45, 2);
      addSectionRow('B', 25, 1);
    }
    updateCreateSummary();
    $('cf-name').focus();
  });
  $('cf-cancel').addEventListener('click', () => { createForm.hidden = true; });
  $('cf-add-section').addEventListener('click', () => {
    const used = new Set(Array.from($('cf-sections').querySelectorAll('[name="section-name"]'), (i) => i.value));
    const name = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('').find((c) => !used.has(c)) || '';
    addSectionRow(name, 20, 1);
    updateCreateSummary();
  });
  createForm.addEventListener('input', (e) => {
    const slot = e.target.closest('.field') && e.target.closest('.field').querySelector('.field-error');
    if (slot) slot.textContent = ''; // the user is fixing it
    updateCreateSummary();
  });

  function addSectionRow(name, dollars, subsections) {
    const index = $('cf-sections').children.length;
    const row = h('div', { class: 'section-row' },
      h('label', { class: 'field' }, 'Section name',
        h('input', { name: 'section-name', value: name, maxlength: 20, required: true }),
        h('span', { class: 'field-error', 'data-field': `seatingConfig.sections[${index}].name` })),
      h('label', { class: 'field' }, 'Price ($)',
        h('input', { name: 'section-price', type: 'number', min: 0, step: '0.01', value: dollars, inputmode: 'decimal' }),
        h('span', { class: 'field-error', 'data-field': `seatingConfig.sections[${index}].price` })),
      h('label', { class: 'field' }, 'Subsections',
        h('input', { name: 'section-subsections', type: 'number', min: 1, max: 100, value: subsections, inputmode: 'numeric' }),
        h('span', { class: 'field-error', 'data-field': `seatingConfig.sections[${index}].subsections` })),
      h('button', {
        type: 'button', class: 'btn small danger', 'aria-label': 'Remove section',
        onclick: () => { row.remove(); updateCreateSummary(); },
      }, 'Remove'));
    $('cf-sections').append(row);
  }

  function readDraft() {
    const sections = Array.from($('cf-sections').children, (row) => ({
      name: row.querySelector('[name="section-name"]').value.trim(),
      price: Math.round(Number(row.querySelector('[name="section-price"]').value || 0) * 100),
      subsections: Number(row.querySelector('[name="section-subsections"]').value || 0),
    }));
    const optional = (id) => $(id).value.trim() || null;
    return {
      name: $('cf-name').value.trim(),
      description: optional('cf-description'),
      venueName: optional('cf-venue'),
      status: $('cf-status').value,
      seatingConfig: { rows: Number($('cf-rows').value || 0), cols: Number($('cf-cols').value || 0), sections },
      rules: { maxSeatsPerBuyer: limitValue($('cf-max-per-buyer')) },
    };
  }

  /** A seats-per-buyer input's value for the API: a number, or null when empty (no limit). */
  function limitValue(input) {
    const text = input.value.trim();
    return text === '' ? null : Number(text);
  }

  function updateCreateSummary() {
    const draft = readDraft();
    const blocks = draft.seatingConfig.sections.reduce((sum, s) => sum + (s.subsections || 0), 0);
    const seats = draft.seatingConfig.rows * draft.seatingConfig.cols * blocks;
    $('cf-summary').textContent = `${draft.seatingConfig.sections.length} section(s), ${blocks} subsection(s): `
      + `${formatCount(seats)} seats`;
  }

  createForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    for (const el of createForm.querySelectorAll('.field-error')) el.textContent = '';
    const submit = $('cf-submit');
    submit.disabled = true;
    try {
      const event = await request('POST', '/events', readDraft());
      createForm.hidden = true;
      createForm.reset();
      $('cf-sections').replaceChildren();
      toast(`Created “${event.name}”.`);
      location.hash = `#/events/${event.id}`;
    } catch (err) {
      const slot = err.field && createForm.querySelector(`[data-field="${CSS.escape(err.field)}"]`);
      if (slot) slot.textContent = err.message;
      toast(err.status === 401 || err.status === 403 ? 'Only sellers can create events.' : err.message, 'error');
    } finally {
      submit.disabled = false;
    }
  });

  // ---------------------------------------------------------------------------------------------
  // Event view: counters, subsection tabs and the seats of the shown subsection, all from the stream
  // (?seats= names the shown subsection: a seat_map, then seat_changes). No seat-list request at all.

  function openEvent(eventId) {
    const view = {
      eventId,
      event: null,
      stats: null,
      shown: null,            // {section, subsection}
      seatEls: new Map(),     // "row-seat" -> button of the drawn subsection
      seatStatus: new Map(),  // "row-seat" -> status as last read
      selected: new Set(),    // "row-seat" of the drawn subsection
      holds: new Map(),       // reservation id -> reservation
      closed: false,
      stream: null,           // the browser client's EventStream
      ticker: null,
    };

    view.close = () => {
      view.closed = true;
      if (view.stream) view.stream.close();
      clearInterval(view.ticker);
    };

    load(view);
    return view;
  }

  async function load(view) {
    let event;
    try {
      event = await request('GET', `/events/${view.eventId}`);
    } catch (e) {
      if (view.closed) return;
      if (e.status === 404) {
        $('view-missing').hidden = false;
      } else {
        toast('Could not load the event: ' + e.message, 'error');
      }
      return;
    }
    if (view.closed) return;
    view.event = event;
    $('view-event').hidden = false;
    $('view-event').dataset.eventId = event.id;
    document.title = `${event.name} · Ticketing`;
    $('ev-name').textContent = event.name;
    const cfg = event.seatingConfig;
    $('ev-meta').textContent = [event.venueName, `${cfg.sections.length} section(s)`,
      `${cfg.rows} rows × ${cfg.cols} seats per subsection`].filter(Boolean).join(' · ');
    $('ev-description').textContent = event.description || '';
    const first = event.statistics.sections[0];
    view.shown = { section: first.section, subsection: first.subsection };
    renderPanels(view);
    applyStatistics(view, event.statistics);
    drawSeatGrid(view);
    restoreHolds(view);
    connect(view);
    view.ticker = setInterval(() => tickHolds(view), 1000);
  }

  function renderPanels(view) {
    const isBuyer = auth.role === 'buyer';
    $('buyer-controls').hidden = !isBuyer;
    $('seller-hint').hidden = isBuyer;
    renderSellerActions(view);
    updateSelection(view);
    renderHolds(view);
  }

  function renderSellerActions(view) {
    const box = $('seller-actions');
    const event = view.event;
    const mine = auth.role === 'seller' && event.sellerId === auth.userId;
    box.hidden = !mine;
    if (!mine) {
      box.dataset.key = '';
      return;
    }
    const status = (view.stats && view.stats.status) || event.status;
    const max = event.rules.maxSeatsPerBuyer;
    const key = `${event.id}|${auth.key()}|${status}|${event.active}|${max}`;
    if (box.dataset.key === key) return; // unchanged: keep the buttons, so that no click is lost
    box.dataset.key = key;
    const patch = (body, label) => h('button', {
      type: 'button', class: 'btn small', 'data-action': label,
      onclick: async () => {
        try {
          view.event = await request('PATCH', `/events/${event.id}`, body);
          applyEvent(view);
          renderSellerActions(view);
        } catch (e) {
          toast(e.message, 'error');
        }
      },
    }, label);
    const buttons = [h('span', { class: 'muted small' }, 'Your event:')];
    if (status === 'draft') buttons.push(patch({ status: 'available' }, 'Put on sale'));
    if (status === 'available' || status === 'sold_out') {
      buttons.push(patch({ status: 'ended' }, 'End sales'), patch({ status: 'completed' }, 'Mark completed'));
    }
    buttons.push(event.active ? patch({ active: false }, 'Unpublish') : patch({ active: true }, 'Publish'));
    const limit = h('input', {
      id: 'seller-max-per-buyer', type: 'number', min: '1', max: '1000', inputmode: 'numeric',
      placeholder: 'No limit', 'aria-label': 'Seats per buyer', value: max == null ? '' : String(max),
    });
    const setLimit = h('button', {
      type: 'button', class: 'btn small', 'data-action': 'Set limit',
      onclick: async () => {
        try {
          view.event = await request('PATCH', `/events/${event.id}`, { rules: { maxSeatsPerBuyer: limitValue(limit) } });
          applyEvent(view);
          renderSellerActions(view);
          toast(view.event.rules.maxSeatsPerBuyer == null ? 'Buyers may now take any number of seats.'
            : `Buyers may now hold and buy at most ${view.event.rules.maxSeatsPerBuyer} seats each.`);
        } catch (e) {
          toast(e.message, 'error');
        }
      },
    }, 'Set limit');
    buttons.push(h('span', { class: 'limit-edit' }, h('span', { class: 'muted small' }, 'Seats per buyer'), limit, setLimit));
    box.replaceChildren(...buttons);
  }

  /** Re-renders what depends on the event itself (not on statistics): status badge, rules, stream access. */
  function applyEvent(view) {
    const max = view.event.rules.maxSeatsPerBuyer;
    $('ev-rules').dataset.max = max == null ? '' : String(max);
    $('ev-rules').textContent = max == null ? 'No limit per buyer.'
      : `Limit: ${max} seat${max === 1 ? '' : 's'} per buyer, counting held and bought seats.`;
    const badge = $('ev-status');
    const status = (view.stats && view.stats.status) || view.event.status;
    badge.textContent = status.replace('_', ' ');
    badge.dataset.status = status;
    badge.dataset.inactive = String(!view.event.active);
  }

  function setCount(id, value) {
    const el = $(id);
    if (el.dataset.value === String(value)) return;
    el.dataset.value = String(value);
    el.textContent = formatCount(value);
    el.classList.remove('bump');
    void el.offsetWidth; // restarts the animation
    el.classList.add('bump');
  }

  function applyStatistics(view, stats) {
    if (view.stats && stats.version < view.stats.version) return; // never go back to an older snapshot
    const changed = !view.stats || stats.version !== view.stats.version;
    view.stats = stats;
    $('view-event').dataset.version = stats.version;
    setCount('stat-total', stats.totalTickets);
    setCount('stat-remaining', stats.remainingTickets);
    setCount('stat-allocated', stats.allocatedTickets);
    setCount('stat-confirmed', stats.confirmedTickets);
    const pct = (n) => (stats.totalTickets ? (100 * n) / stats.totalTickets : 0) + '%';
    $('meter-sold').style.width = pct(stats.confirmedTickets);
    $('meter-held').style.width = pct(stats.allocatedTickets);
    applyEvent(view);
    renderLastEvent(stats.lastEvent);
    renderSubsectionTabs(view);
    if (changed) renderSellerActions(view);
  }

  const LAST_EVENT_VERBS = {
    'event.created': 'created the event',
    'event.status_changed': 'changed the status',
    'ticket.reserved': 'reserved',
    'ticket.confirmed': 'bought',
    'ticket.released': 'released',
    'ticket.expired': 'hold expired for',
  };

  function renderLastEvent(last) {
    const el = $('last-event');
    if (!last) {
      el.textContent = 'No changes yet.';
      el.dataset.type = '';
      return;
    }
    el.dataset.type = last.type;
    el.dataset.actor = last.actor;
    el.dataset.seats = last.seats;
    el.replaceChildren('Last: ', lastEventLine(last), ' ', h('span', { class: 'type' }, last.type));
  }

  /** A statistics' lastEvent in words: who did what to how many seats, and when. */
  function lastEventLine(last) {
    const actor = last.actor === 'system' ? 'System' : last.actor.replace(':', ' #').replace(/^./, (c) => c.toUpperCase());
    const verb = LAST_EVENT_VERBS[last.type] || last.type;
    const seats = last.type.startsWith('ticket.') ? ` ${last.seats} seat${last.seats === 1 ? '' : 's'}` : '';
    return [h('b', null, actor), ` ${verb}${seats} · ${formatTime(last.at)}`];
  }

  function renderSubsectionTabs(view) {
    const tabs = $('subsection-tabs');
    const sections = view.stats.sections || [];
    if (tabs.children.length !== sections.length) {
      tabs.replaceChildren(...sections.map((s) => h('button', {
        type: 'button', role: 'tab', class: 'sub-tab', id: `sub-${s.section}-${s.subsection}`,
        'data-section': s.section, 'data-subsection': s.subsection,
        onclick: () => showSubsection(view, s.section, s.subsection),
      }, h('span', { class: 'name' }, `${s.section} · ${s.subsection}`), h('span', { class: 'counts' }))));
    }
    for (const s of sections) {
      const tab = $(`sub-${s.section}-${s.subsection}`);
      const shown = view.shown && view.shown.section === s.section && view.shown.subsection === s.subsection;
      tab.setAttribute('aria-selected', String(shown));
      tab.dataset.remaining = s.remaining;
      tab.dataset.allocated = s.allocated;
      tab.dataset.confirmed = s.confirmed;
      tab.querySelector('.counts').textContent = `${formatMoney(s.price)} · ${formatCount(s.remaining)} free · `
        + `${formatCount(s.allocated)} held · ${formatCount(s.confirmed)} sold`;
    }
  }

  function showSubsection(view, section, subsection) {
    if (view.shown.section === section && view.shown.subsection === subsection) return;
    view.shown = { section, subsection };
    view.selected.clear();
    renderSubsectionTabs(view);
    drawSeatGrid(view);
    updateSelection(view);
    reconnect(view); // a stream that names the newly shown subsection
  }

  function drawSeatGrid(view) {
    const map = $('seat-map');
    const { rows, cols } = view.event.seatingConfig;
    view.seatEls.clear();
    view.seatStatus.clear();
    map.dataset.section = view.shown.section;
    map.dataset.subsection = view.shown.subsection;
    const tooBig = rows * cols > MAX_DRAWN_SEATS;
    $('map-note').hidden = !tooBig;
    if (tooBig) {
      map.replaceChildren();
      $('map-note').textContent = `This subsection has ${formatCount(rows * cols)} seats, too many to draw; `
        + 'use “Best available”.';
      return;
    }
    map.style.gridTemplateColumns = `2ch repeat(${cols}, var(--seat))`;
    const cells = [];
    for (let r = 1; r <= rows; r++) {
      cells.push(h('span', { class: 'row-label' }, r));
      for (let c = 1; c <= cols; c++) {
        const key = `${r}-${c}`;
        const seat = h('button', {
          type: 'button', class: 'seat', 'data-row': r, 'data-seat': c, 'data-status': 'available',
          'aria-label': `Row ${r}, seat ${c}`, title: `Row ${r}, seat ${c}`,
          onclick: () => toggleSeat(view, key),
        });
        view.seatEls.set(key, seat);
        cells.push(seat);
      }
    }
    map.replaceChildren(...cells);
    map.dataset.loaded = 'false';
  }

  function isShown(view, section, subsection) {
    return view.shown.section === section && view.shown.subsection === subsection;
  }

  /** A seat map (the client's SeatMap) of the shown subsection: every seat at once. */
  function applySeatMap(view, map) {
    if (!isShown(view, map.section, map.subsection) || view.seatEls.size === 0) return;
    const seats = [];
    for (let row = 1; row <= map.rows; row++) {
      for (let seat = 1; seat <= map.cols; seat++) seats.push({ row, seat, status: map.status(row, seat) });
    }
    applySeats(view, seats);
    $('seat-map').dataset.version = map.version;
    $('seat-map').dataset.loaded = 'true';
  }

  /** The seats of one subsection that moved, and its map after them. */
  function applySeatChanges(view, changes, map) {
    if (!isShown(view, map.section, map.subsection)) return;
    applySeats(view, changes);
    $('seat-map').dataset.version = map.version;
  }

  /** The price of a seat of the shown subsection. */
  function shownPrice(view) {
    const section = view.event.seatingConfig.sections.find((s) => s.name === view.shown.section);
    return section ? section.price : 0;
  }

  function applySeats(view, seats) {
    const mine = myHeldSeats(view);
    const price = shownPrice(view);
    let lost = 0;
    for (const seat of seats) {
      const key = `${seat.row}-${seat.seat}`;
      const el = view.seatEls.get(key);
      if (!el) continue;
      view.seatStatus.set(key, seat.status);
      if (el.dataset.status !== seat.status) el.dataset.status = seat.status;
      const isMine = seat.status !== 'available' && mine.has(key);
      el.dataset.mine = String(isMine);
      el.title = `Row ${seat.row}, seat ${seat.seat} · ${formatMoney(price)} · ${isMine ? 'your hold' : seat.status}`;
      el.disabled = seat.status !== 'available' || auth.role !== 'buyer';
      if (seat.status !== 'available' && view.selected.delete(key)) lost++;
      el.dataset.selected = String(view.selected.has(key));
    }
    if (lost) {
      toast(`${lost} of your selected seat${lost === 1 ? ' was' : 's were'} just taken by someone else.`, 'error');
      updateSelection(view);
    }
  }

  function myHeldSeats(view) {
    const keys = new Set();
    for (const res of view.holds.values()) {
      if (res.status !== 'held' && res.status !== 'confirmed') continue;
      for (const s of res.seats) {
        if (s.section === view.shown.section && s.subsection === view.shown.subsection) keys.add(`${s.row}-${s.seat}`);
      }
    }
    return keys;
  }

  function toggleSeat(view, key) {
    if (auth.role !== 'buyer' || view.seatStatus.get(key) !== 'available') return;
    if (view.selected.has(key)) {
      view.selected.delete(key);
    } else if (view.selected.size >= MAX_SEATS_PER_RESERVATION) {
      toast(`At most ${MAX_SEATS_PER_RESERVATION} seats per reservation.`, 'error');
      return;
    } else {
      view.selected.add(key);
    }
    view.seatEls.get(key).dataset.selected = String(view.selected.has(key));
    updateSelection(view);
  }

  function updateSelection(view) {
    const n = view.selected.size;
    const section = view.stats && view.stats.sections.find(
      (s) => view.shown && s.section === view.shown.section && s.subsection === view.shown.subsection);
    const price = section ? section.price : 0;
    $('selection-summary').textContent = n === 0 ? 'Click free seats to pick them.'
      : `${n} seat${n === 1 ? '' : 's'} selected · ${formatMoney(n * price)}`;
    $('reserve-selected').disabled = n === 0;
    $('reserve-selected').textContent = n === 0 ? 'Reserve selected' : `Reserve ${n} seat${n === 1 ? '' : 's'}`;
  }

  async function reserve(view, body) {
    try {
      const reservation = await request('POST', `/events/${view.eventId}/reservations`, body,
        { idempotencyKey: randomKey() });
      view.selected.clear();
      trackHold(view, reservation);
      updateSelection(view);
      toast(`Held ${reservation.seats.length} seat${reservation.seats.length === 1 ? '' : 's'} · `
        + `${formatMoney(reservation.totalPrice)}. Confirm before the timer runs out.`);
    } catch (e) {
      if (e.code === 'seats_unavailable') toast('Someone was faster: those seats are no longer free.', 'error');
      else if (e.code === 'limit_exceeded') explainLimit(view, body);
      else toast(e.message, 'error');
    }
  }

  /** Says in words why the event refused more seats, with the limit as it is now (the seller may have changed it). */
  async function explainLimit(view, body) {
    try {
      view.event = await request('GET', `/events/${view.eventId}`);
      applyEvent(view);
    } catch (e) {
      // keep the limit last read
    }
    const max = view.event.rules.maxSeatsPerBuyer;
    const asked = body.seats ? body.seats.length : body.quantity;
    toast(`Not held: this event allows at most ${max} seat${max === 1 ? '' : 's'} per buyer, counting the seats you `
      + `hold and have bought. ${asked} more would go over it. Release a hold, or ask for fewer seats.`, 'error');
  }

  $('reserve-selected').addEventListener('click', () => {
    const view = current;
    if (!view || !view.event || view.selected.size === 0) return;
    const seats = Array.from(view.selected, (key) => {
      const [row, seat] = key.split('-').map(Number);
      return { section: view.shown.section, subsection: view.shown.subsection, row, seat };
    });
    reserve(view, { seats });
  });

  $('reserve-best').addEventListener('click', () => {
    const view = current;
    if (!view || !view.event) return;
    const quantity = Number($('best-qty').value);
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_SEATS_PER_RESERVATION) {
      toast(`Pick between 1 and ${MAX_SEATS_PER_RESERVATION} seats.`, 'error');
      return;
    }
    reserve(view, { section: view.shown.section, subsection: view.shown.subsection, quantity });
  });

  // Holds: the reservations made from this browser tab, kept (ids only) in sessionStorage per user.

  const holdsKey = (view) => `ticketing.holds.${auth.key()}.${view.eventId}`;

  /** Remembers a reservation made or changed in this tab. */
  function trackHold(view, reservation) {
    view.holds.set(reservation.id, reservation);
    sessionStorage.setItem(holdsKey(view), JSON.stringify(Array.from(view.holds.keys()).slice(-20)));
    renderHolds(view);
    markMine(view);
  }

  async function restoreHolds(view) {
    const ids = JSON.parse(sessionStorage.getItem(holdsKey(view)) || '[]');
    for (const id of ids) {
      try {
        const reservation = await request('GET', `/reservations/${encodeURIComponent(id)}`);
        if (view.closed) return;
        view.holds.set(reservation.id, reservation);
      } catch (e) {
        // a reservation of another user or one that no longer exists is simply not shown
      }
    }
    renderHolds(view);
    markMine(view);
  }

  function markMine(view) {
    const mine = myHeldSeats(view);
    for (const [key, el] of view.seatEls) {
      el.dataset.mine = String(el.dataset.status !== 'available' && mine.has(key));
    }
  }

  /** Rebuilds the reservations list; call when a reservation is added or changes status. */
  function renderHolds(view) {
    const holds = Array.from(view.holds.values()).reverse();
    $('holds-empty').hidden = holds.length > 0;
    const now = serverClock.now();
    $('holds').replaceChildren(...holds.map((res) => {
      if (res.status === 'held' && now >= Date.parse(res.expiresAt)) res.status = 'expired';
      return holdItem(res, {
        heading: h('b', null, formatMoney(res.totalPrice)),
        settle: (action) => settle(res, action, (updated) => trackHold(view, updated)),
        refundable: true,
      });
    }));
    tickHolds(view);
  }

  /** Once a second: updates the countdowns in place, and rebuilds the list when a hold has run out. */
  function tickHolds(view) {
    if (tickCountdowns($('holds'))) renderHolds(view);
  }

  const FINAL_STATES = { confirmed: 'Paid', cancelled: 'Cancelled', expired: 'Expired' };

  /**
   * One reservation as a list item: `heading`, its state (a countdown to expiresAt while held), `extra`,
   * its seats, and its actions: Confirm & pay and Cancel while held, Refund once paid if `refundable`;
   * `settle(action)` runs one.
   */
  function holdItem(res, { heading, extra, settle: run, refundable }) {
    const seats = res.seats.map((s) => `${s.section}${s.subsection} R${s.row}·${s.seat}`).join(', ');
    const button = (action, label, kind) => h('button', {
      type: 'button', class: `btn small ${kind}`, 'data-action': action, onclick: () => run(action),
    }, label);
    const actions = [];
    if (res.status === 'held') actions.push(button('confirm', 'Confirm & pay', 'primary'), button('cancel', 'Cancel', ''));
    else if (res.status === 'confirmed' && refundable) actions.push(button('cancel', 'Refund', 'danger'));
    const countdown = () => h('span', { class: 'countdown', role: 'timer', 'data-deadline': Date.parse(res.expiresAt) });
    const state = res.status === 'held' ? h('span', null, 'Held · ', countdown(), ' left') : FINAL_STATES[res.status] || res.status;
    return h('li', { class: 'hold', 'data-reservation-id': res.id, 'data-status': res.status },
      h('div', { class: 'hold-head' }, heading, h('span', { class: 'hold-state' }, state)),
      extra,
      h('div', { class: 'hold-seats' }, seats),
      actions.length ? h('div', { class: 'hold-actions' }, actions) : null);
  }

  /** Sets every countdown under `container` from the server's clock; says whether one has reached 0:00. */
  function tickCountdowns(container) {
    const now = serverClock.now();
    let ended = false;
    for (const el of container.querySelectorAll('.countdown')) {
      const left = Math.max(0, Math.ceil((Number(el.dataset.deadline) - now) / 1000));
      el.dataset.seconds = left;
      el.dataset.urgent = String(left <= 30);
      el.textContent = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}`;
      if (left === 0) ended = true;
    }
    return ended;
  }

  /** Confirms (pays) or cancels a reservation; hands the reservation as it is now to `apply`. */
  async function settle(reservation, action, apply) {
    try {
      const body = action === 'confirm' ? { paymentReference: 'demo-' + randomKey().slice(0, 8) } : {};
      apply(await request('POST', `/reservations/${encodeURIComponent(reservation.id)}/${action}`, body));
      toast(action === 'confirm' ? 'Paid: the seats are yours.' : 'Released: the seats are free again.');
    } catch (e) {
      if (e.code === 'reservation_expired') {
        apply({ ...reservation, status: 'expired' });
        toast('Too late: the hold expired and the seats were released.', 'error');
      } else {
        toast(e.message, 'error');
      }
    }
  }

  // Stream: the browser client resumes with Last-Event-ID after a dropped connection and reconnects
  // with backoff and jitter after a refused one, asking for a fresh token each time.

  function connect(view) {
    if (view.closed) return;
    const isPublic = view.event.status !== 'draft' && view.event.active;
    view.stream = openEventStream(API, view.eventId, {
      seats: view.seatEls.size > 0 ? [[view.shown.section, view.shown.subsection]] : [],
      // A hidden event's stream opens with a 60-second stream token, never with the bearer token in the URL;
      // not signed in, there is none and the stream answers 404, as it would without a token.
      streamToken: isPublic ? null : streamToken,
      onStatistics: (stats) => applyStatistics(view, stats),
      onSeatMap: (map) => applySeatMap(view, map),
      onSeatChanges: (changes, map) => applySeatChanges(view, changes, map),
      onStateChange: (state) => setConnectionState($('connection-state'), state),
      onError: (error) => console.warn('event stream:', error),
    });
  }

  /** Replaces the stream with a new one (a new ?seats=), which starts with a fresh seat_map. */
  function reconnect(view) {
    if (!view.stream) return; // the first connect() has not run yet
    view.stream.close();
    connect(view);
  }

  function setConnectionState(el, state) {
    el.dataset.state = state;
    el.textContent = { open: 'Live', connecting: 'Connecting…', reconnecting: 'Reconnecting…', closed: 'Closed' }[state];
  }

  // ---------------------------------------------------------------------------------------------
  // The signed-in user's own live panel on the home page, from one /me/stream: a buyer's holds (from
  // any tab or browser) with countdowns and the server's "expires soon" warning, or a seller's
  // dashboard of all their events, drafts included. Opened with the events list, closed when leaving it.

  /** How long a hold that ended stays in the panel, showing how it ended. */
  const ENDED_HOLD_SHOWN_MS = 5000;

  /** Event names by id, each read once with `GET /events/{id}` (the stream's frames carry ids only). */
  const eventNames = new Map();
  const eventNamesAsked = new Map(); // id -> promise: whether the name could be read

  /** The name of event `id` if known yet, else a stand-in. */
  function eventName(id) {
    return eventNames.get(id) || `Event #${id}`;
  }

  /** Calls `then()` once the name of event `id` is known, if it was not known already. */
  function whenEventNamed(id, then) {
    if (eventNames.has(id)) return;
    if (!eventNamesAsked.has(id)) {
      eventNamesAsked.set(id, request('GET', `/events/${id}`).then((event) => {
        eventNames.set(id, event.name);
        return true;
      }, () => {
        eventNamesAsked.delete(id); // asked again next time
        return false;
      }));
    }
    eventNamesAsked.get(id).then((named) => { if (named) then(); });
  }

  /**
   * Opens the signed-in user's /me/stream and the panel it feeds; null when nobody is signed in. Its
   * `follow({onStatistics, onStateChange})` lets the seller's list share the stream (the statistics kept so
   * far are handed over at once); it returns the unfollow function.
   */
  function openMePanel() {
    if (!auth.demo && !auth.pastedToken) return null; // the stream needs a user
    const isBuyer = auth.role === 'buyer';
    const followers = new Set();
    let stream = null;
    const panel = isBuyer ? buyerHolds(() => stream.holds) : sellerDashboard();
    $('me-panel').hidden = false;
    $('my-holds-card').hidden = !isBuyer;
    $('dashboard-card').hidden = isBuyer;
    const state = $(isBuyer ? 'my-holds-state' : 'dashboard-state');
    stream = openMeStream(API, {
      streamToken,
      // after a reconnect: the holds that ended while no stream was open leave the panel
      heldReservations: isBuyer
        ? () => request('GET', '/me/reservations?status=held&limit=200').then((page) => page.items) : null,
      onReservation: panel.applyReservation,
      onReservationExpiring: panel.warnExpiring,
      onHoldDropped: panel.render,
      onStatistics: (stats) => {
        if (panel.applyStatistics) panel.applyStatistics(stats);
        for (const follower of followers) follower.onStatistics(stats);
      },
      onStateChange: (s) => {
        setConnectionState(state, s);
        for (const follower of followers) follower.onStateChange(s);
      },
      onError: (error) => console.warn('me stream:', error),
    });
    return {
      follow(follower) {
        followers.add(follower);
        follower.onStateChange(stream.state);
        for (const stats of stream.statistics.values()) follower.onStatistics(stats);
        return () => followers.delete(follower);
      },
      close() {
        followers.clear();
        stream.close();
        if (panel.close) panel.close();
        $('me-panel').hidden = true;
      },
    };
  }

  /**
   * The buyer's open holds, as the stream keeps them (`holds()`: the browser client's map of held
   * reservations, with the "expires soon" flag), each shown until it ends, then with how it ended for a
   * few seconds.
   */
  function buyerHolds(holds) {
    const ended = new Map(); // id -> {reservation, timer}: ended while shown, still shown a moment
    let shownIds = new Set();
    const list = $('my-holds');
    let closed = false;
    $('my-holds-alert').textContent = '';

    const render = () => {
      if (closed) return;
      const items = [];
      for (const [id, hold] of holds()) {
        if (!ended.has(id)) items.push({ reservation: hold.reservation, expiring: hold.expiring });
      }
      for (const { reservation } of ended.values()) items.push({ reservation, expiring: false });
      items.sort((a, b) => b.reservation.createdAt.localeCompare(a.reservation.createdAt)); // newest first
      shownIds = new Set(items.map((item) => item.reservation.id));
      $('my-holds-empty').hidden = items.length > 0;
      list.replaceChildren(...items.map(({ reservation: res, expiring }) => {
        const name = h('a', { class: 'hold-event', href: `#/events/${res.eventId}` }, eventName(res.eventId));
        const item = holdItem(res, {
          heading: h('span', null, name, ' · ', h('b', null, formatMoney(res.totalPrice))),
          extra: expiring && res.status === 'held'
            ? h('p', { class: 'hold-warning' }, 'Expires soon: confirm now to keep these seats.') : null,
          settle: (action) => settle(res, action, (updated) => applyReservation(updated)),
          refundable: false,
        });
        item.dataset.eventId = res.eventId;
        item.dataset.expiring = String(expiring);
        return item;
      }));
      tickCountdowns(list);
    };

    /** A reservation as the stream (or an answer of this page) tells it; one that ended stays a moment. */
    const applyReservation = (reservation) => {
      if (closed) return;
      if (reservation.status !== 'held' && shownIds.has(reservation.id) && !ended.has(reservation.id)) {
        ended.set(reservation.id, {
          reservation,
          timer: setTimeout(() => {
            ended.delete(reservation.id);
            render();
          }, ENDED_HOLD_SHOWN_MS),
        });
      }
      whenEventNamed(reservation.eventId, render);
      render();
    };

    const ticker = setInterval(() => tickCountdowns(list), 1000);
    return {
      applyReservation,
      render,
      warnExpiring(reservation) {
        if (closed || reservation.status !== 'held') return;
        const left = Math.max(0, Math.round((Date.parse(reservation.expiresAt) - serverClock.now()) / 1000));
        const seats = reservation.seats.length;
        $('my-holds-alert').textContent = `Your hold of ${seats} seat${seats === 1 ? '' : 's'} for `
          + `${eventName(reservation.eventId)} expires in about ${left} s.`;
        whenEventNamed(reservation.eventId, render);
        render();
      },
      close() {
        closed = true;
        clearInterval(ticker);
        for (const { timer } of ended.values()) clearTimeout(timer);
      },
    };
  }

  /**
   * The seller's events, one row each, counters and last change live; events created later are added.
   * Every (re)connect sends each event's initial_status, so the rows refresh themselves.
   */
  function sellerDashboard() {
    const rows = $('dashboard-rows');
    rows.replaceChildren();
    $('dashboard-empty').hidden = false;

    const cell = (name, value, text) => h('td', { 'data-field': name, 'data-value': value }, text);
    return {
      applyStatistics(stats) {
        const id = `dashboard-event-${stats.eventId}`;
        const last = stats.lastEvent;
        const row = h('tr', { id, 'data-event-id': stats.eventId, 'data-version': stats.version },
          h('th', { scope: 'row' }, h('a', { href: `#/events/${stats.eventId}`, class: 'dashboard-name' },
            eventName(stats.eventId))),
          h('td', null, h('span', { class: 'badge', 'data-status': stats.status }, stats.status.replace('_', ' '))),
          cell('total', stats.totalTickets, formatCount(stats.totalTickets)),
          cell('remaining', stats.remainingTickets, formatCount(stats.remainingTickets)),
          cell('allocated', stats.allocatedTickets, formatCount(stats.allocatedTickets)),
          cell('confirmed', stats.confirmedTickets, formatCount(stats.confirmedTickets)),
          h('td', { class: 'dashboard-last', 'data-type': last ? last.type : '', 'data-actor': last ? last.actor : '' },
            last ? lastEventLine(last) : 'No changes yet.'));
        const shown = $(id);
        if (shown) {
          shown.replaceWith(row);
        } else {
          // newest event (highest id) first
          const after = Array.from(rows.children).find((r) => Number(r.dataset.eventId) < stats.eventId);
          rows.insertBefore(row, after || null);
        }
        $('dashboard-empty').hidden = true;
        whenEventNamed(stats.eventId, () => {
          const link = $(id) && $(id).querySelector('.dashboard-name');
          if (link) link.textContent = eventName(stats.eventId);
        });
      },
    };
  }

  // ---------------------------------------------------------------------------------------------

  async function start() {
    auth.load();
    try {
      await auth.detectDemoMode();
    } catch (e) {
      toast('The server does not answer. Is the app running?', 'error');
    }
    renderIdentity();
    route();
  }

  start();
})();
