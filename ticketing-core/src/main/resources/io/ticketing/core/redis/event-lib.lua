-- Shared by every script on one event's keys. KEYS[1] is the event's key prefix, '<prefix>{e:<id>}:', so
-- every key below has the event's hash tag and lives in its cluster slot. Instants are epoch nanoseconds
-- as 20-digit strings (compared as strings), hold scores are epoch microseconds.
local base = KEYS[1]
local EV = base .. 'event'
-- The event's counters: one string, a record of REC bytes per block k at offset k * REC: available, reserved,
-- sold and the search hint (no free seat before that row), each W decimal digits, zero-padded.
local CNT = base .. 'counts'
local W, REC = 10, 40
local HOLDS = base .. 'holds'
local IDEM = base .. 'idem'
local RIDS = base .. 'rids'
local BUYERS = base .. 'buyers'
-- The event's change log: a list of 'version|type|at|to|k:pos,k:pos|actor', oldest first, consecutive versions.
local LOG = base .. 'log'
local TOTAL = {a = 'rem', r = 'alc', s = 'cnf'}
local COUNTER = {a = 0, r = 1, s = 2, h = 3}

local function seats_key(k) return base .. 'seats:' .. k end
-- The free runs of each row of block k, MASK bytes a row (big-endian): bit n-1 set if the row has a run of n
-- adjacent available seats (n < 53), bit 52 if it has a longer one; so best available finds its row without
-- reading the seats of the rows it skips.
local MASK = 7
local function runs_key(k) return base .. 'runs:' .. k end
local function res_key(rid) return base .. 'r:' .. rid end
local function err(code, message, extra) return {code, message, extra or false} end

-- The event's fields that scripts read, by name (numbers as numbers), and its counters string: read once by
-- load_event, changed in memory by move and bump, written by them.
local STATE = {'uid', 'status', 'version', 'lt', 'la', 'ls', 'lat', 'rem', 'alc', 'cnf', 'active', 'rows', 'cols',
               'cap', 'sched', 'logmax'}
local NUMBERS = {version = true, ls = true, rem = true, alc = true, cnf = true, rows = true, cols = true}
local E, counts = nil, nil

-- Reads the event's fields (STATE, then the extra fields given) and counters; nil if there is no event.
local function load_event(...)
  local names = {unpack(STATE)}
  for _, name in ipairs({...}) do names[#names + 1] = name end
  local values = redis.call('HMGET', EV, unpack(names))
  if not values[1] then return nil end
  E = {}
  for i, name in ipairs(names) do
    E[name] = NUMBERS[name] and tonumber(values[i]) or values[i]
  end
  counts = redis.call('GET', CNT)
  return E
end

local function digits(n) return string.format('%d', n) end

-- The event's statistics: {uid, status, version, lt, la, ls, lat, rem, alc, cnf} and the counters string.
local function stats()
  return {{E.uid, E.status, digits(E.version), E.lt, E.la, digits(E.ls), E.lat, digits(E.rem), digits(E.alc),
           digits(E.cnf)}, counts}
end

-- Counter f (a, r, s or h) of block k.
local function counter(k, f)
  local at = k * REC + COUNTER[f] * W
  return tonumber(string.sub(counts, at + 1, at + W))
end

-- Sets counter f of block k in memory only (the next put_block of k writes it).
local function set_counter(k, f, value)
  local at = k * REC + COUNTER[f] * W
  counts = string.sub(counts, 1, at) .. string.format('%010d', value) .. string.sub(counts, at + W + 1)
end

-- Block k's record with the given counters, in memory and in Redis.
local function put_block(k, c)
  local record = string.format('%010d%010d%010d%010d', c.a, c.r, c.s, c.h)
  counts = string.sub(counts, 1, k * REC) .. record .. string.sub(counts, (k + 1) * REC + 1)
  redis.call('SETRANGE', CNT, k * REC, record)
end

-- The event's own fields (see read-event.lua); every one false if there is no event.
local function event_fields()
  return redis.call('HMGET', EV, 'uid', 'name', 'desc', 'venue', 'seller', 'status', 'active', 'config', 'created',
      'cap')
end

-- The reservation rid of the event whose uid is given (the event's uid is read if uid is nil), or nil.
local function reservation(rid, uid)
  local r = redis.call('HMGET', res_key(rid), 'buyer', 'status', 'seats', 'exp', 'created', 'pay')
  if not r[1] then return nil end
  return {rid, r[1], r[2], r[3], r[4], r[5], r[6], uid or redis.call('HGET', EV, 'uid')}
end

-- The seats of a stored list 'k:pos,k:pos' as {k, pos} pairs (block, 0-based index in the block).
local function parse_seats(list)
  local seats = {}
  for k, pos in string.gmatch(list, '(%d+):(%d+)') do
    seats[#seats + 1] = {tonumber(k), tonumber(pos)}
  end
  return seats
end

-- The runs mask (see runs_key) of a row's seats.
local function run_mask(line)
  local seen, mask = {}, 0
  for a, b in string.gmatch(line, '()a+()') do
    local bit = math.min(b - a, 53) - 1
    if not seen[bit] then
      seen[bit] = true
      mask = mask + 2 ^ bit
    end
  end
  return mask
end

local function encode_mask(mask)
  local bytes = {}
  for i = MASK, 1, -1 do
    bytes[i] = mask % 256
    mask = math.floor(mask / 256)
  end
  return string.char(unpack(bytes))
end

-- The mask at byte 'at' (1-based) of a runs string.
local function decode_mask(runs, at)
  local b1, b2, b3, b4, b5, b6, b7 = string.byte(runs, at, at + MASK - 1)
  return (((((b1 * 256 + b2) * 256 + b3) * 256 + b4) * 256 + b5) * 256 + b6) * 256 + b7
end

-- Moves seats that are all in state 'from' to state 'to' (a, r or s), keeping every counter and the
-- sold-out status in step (totals and status in E, written by bump); the only way a seat changes. 'lines',
-- if given, holds rows the caller has just read, lines[k][row] = the row's seats, so that their runs masks are
-- made without reading them again. Needs load_event.
local moved_seats, moved_from, moved_to = nil, nil, nil -- the seats of the change being made, for bump
local function move(seats, from, to, lines)
  moved_seats, moved_from, moved_to = seats, from, to
  lines = lines or {}
  local blocks, rows = {}, {} -- the touched blocks' counters; the rows whose free runs change, by block
  for _, s in ipairs(seats) do
    local k, row = s[1], math.floor(s[2] / E.cols)
    redis.call('SETRANGE', seats_key(k), s[2], to)
    local c = blocks[k]
    if not c then
      c = {a = counter(k, 'a'), r = counter(k, 'r'), s = counter(k, 's'), h = counter(k, 'h')}
      blocks[k], rows[k] = c, {}
    end
    c[from], c[to] = c[from] - 1, c[to] + 1
    if to == 'a' then c.h = math.min(c.h, row) end
    if to == 'a' or from == 'a' then
      local line = lines[k] and lines[k][row]
      if line then
        local at = s[2] - row * E.cols
        line = string.sub(line, 1, at) .. to .. string.sub(line, at + 2)
        lines[k][row] = line
      end
      rows[k][row] = line or true
    end
  end
  for k, c in pairs(blocks) do
    put_block(k, c)
    for row, line in pairs(rows[k]) do
      if line == true then line = redis.call('GETRANGE', seats_key(k), row * E.cols, (row + 1) * E.cols - 1) end
      redis.call('SETRANGE', runs_key(k), row * MASK, encode_mask(run_mask(line)))
    end
  end
  E[TOTAL[from]] = E[TOTAL[from]] - #seats
  E[TOTAL[to]] = E[TOTAL[to]] + #seats
  if E.status == 'available' and E.rem == 0 then
    E.status = 'sold_out'
  elseif E.status == 'sold_out' and E.rem > 0 then
    E.status = 'available'
  end
end

-- Appends the change that made the event's current version (E, and the seats moved since the last call) to
-- its change log, keeping at least its last 'logmax' changes (10000 for an event without the field): the list
-- is trimmed back to logmax once it is TRIM_SLACK(logmax) entries longer, so that most changes need no LTRIM;
-- read-changes.lua treats the changes before the last logmax as gone.
local function trim_slack(keep) return math.min(keep, 100) end
local function log_change()
  local list = {}
  for i, s in ipairs(moved_seats or {}) do list[i] = s[1] .. ':' .. s[2] end
  local length = redis.call('RPUSH', LOG, digits(E.version) .. '|' .. E.lt .. '|' .. E.lat .. '|'
      .. (moved_to or '') .. '|' .. table.concat(list, ',') .. '|' .. E.la)
  local keep = tonumber(E.logmax or 10000)
  if length > keep + trim_slack(keep) then redis.call('LTRIM', LOG, -keep, -1) end
  moved_seats, moved_from, moved_to = nil, nil, nil
end

-- One change: the version grows by one and lastEvent describes it; writes the event's changed fields (the
-- totals the seats moved between, and the field/value pairs given) in one HSET and logs the change. Needs
-- load_event.
local function bump(change_type, actor, seats, at, ...)
  E.version, E.lt, E.la, E.ls, E.lat = E.version + 1, change_type, actor, seats, at
  if moved_to then
    local from, to = TOTAL[moved_from], TOTAL[moved_to]
    redis.call('HSET', EV, 'version', digits(E.version), 'lt', change_type, 'la', actor, 'ls', digits(seats), 'lat',
        at, from, digits(E[from]), to, digits(E[to]), 'status', E.status, ...)
  else
    redis.call('HSET', EV, 'version', digits(E.version), 'lt', change_type, 'la', actor, 'ls', digits(seats), 'lat',
        at, 'status', E.status, ...)
  end
  log_change()
end

-- Ends a held or confirmed reservation: its seats become available. Needs load_event.
local function release(rid, r, new_status, change_type, actor, now)
  local seats = parse_seats(r[4])
  move(seats, r[3] == 'held' and 'r' or 's', 'a')
  redis.call('HINCRBY', BUYERS, r[2], -#seats)
  if r[3] == 'held' then redis.call('ZREM', HOLDS, rid) end
  redis.call('HSET', res_key(rid), 'status', new_status)
  r[3] = new_status
  bump(change_type, actor, #seats, now)
end
