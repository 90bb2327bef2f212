-- Shared by every script on one event's keys. KEYS[1] is the event's key prefix, '<prefix>{e:<id>}:', so
-- every key below has the event's hash tag and lives in its cluster slot. Instants are epoch nanoseconds
-- as 20-digit strings (compared as strings), hold scores are epoch microseconds.
local base = KEYS[1]
local EV = base .. 'event'
local CNT = base .. 'counts'
local HOLDS = base .. 'holds'
local IDEM = base .. 'idem'
local RIDS = base .. 'rids'
local BUYERS = base .. 'buyers'
-- The event's change log: a list of 'version|type|at|to|k:pos,k:pos|actor', oldest first, consecutive versions.
local LOG = base .. 'log'
local TOTAL = {a = 'rem', r = 'alc', s = 'cnf'}

local function seats_key(k) return base .. 'seats:' .. k end
local function res_key(rid) return base .. 'r:' .. rid end
local function err(code, message, extra) return {code, message, extra or false} end

-- The event's statistics: its scalar fields, then every per-subsection counter as HGETALL pairs.
local function stats()
  return {redis.call('HMGET', EV, 'uid', 'status', 'version', 'lt', 'la', 'ls', 'lat', 'rem', 'alc', 'cnf'),
          redis.call('HGETALL', CNT)}
end

-- The event's own fields (see read-event.lua); every one false if there is no event.
local function event_fields()
  return redis.call('HMGET', EV, 'uid', 'name', 'desc', 'venue', 'seller', 'status', 'active', 'config', 'created',
      'cap')
end

local function reservation(rid)
  local r = redis.call('HMGET', res_key(rid), 'buyer', 'status', 'seats', 'exp', 'created', 'pay')
  if not r[1] then return nil end
  return {rid, r[1], r[2], r[3], r[4], r[5], r[6], redis.call('HGET', EV, 'uid')}
end

-- The seats of a stored list 'k:pos,k:pos' as {k, pos} pairs (block, 0-based index in the block).
local function parse_seats(list)
  local seats = {}
  for k, pos in string.gmatch(list, '(%d+):(%d+)') do
    seats[#seats + 1] = {tonumber(k), tonumber(pos)}
  end
  return seats
end

-- Moves seats that are all in state 'from' to state 'to' (a, r or s), keeping every counter and the
-- sold-out status in step; the only way a seat changes.
local moved_seats, moved_to = nil, nil -- the seats of the change being made, for log_change
local function move(seats, from, to)
  moved_seats, moved_to = seats, to
  local ev = redis.call('HMGET', EV, 'cols', 'status', 'rem')
  local cols, status, remaining = tonumber(ev[1]), ev[2], tonumber(ev[3])
  local per_block = {}
  for _, s in ipairs(seats) do
    redis.call('SETRANGE', seats_key(s[1]), s[2], to)
    per_block[s[1]] = (per_block[s[1]] or 0) + 1
    if to == 'a' then
      local row = math.floor(s[2] / cols)
      local hint = tonumber(redis.call('HGET', EV, 'h' .. s[1]) or 0)
      if row < hint then redis.call('HSET', EV, 'h' .. s[1], row) end
    end
  end
  for k, n in pairs(per_block) do
    redis.call('HINCRBY', CNT, from .. k, -n)
    redis.call('HINCRBY', CNT, to .. k, n)
  end
  redis.call('HINCRBY', EV, TOTAL[from], -#seats)
  redis.call('HINCRBY', EV, TOTAL[to], #seats)
  if from == 'a' then remaining = remaining - #seats elseif to == 'a' then remaining = remaining + #seats end
  if status == 'available' and remaining == 0 then
    redis.call('HSET', EV, 'status', 'sold_out')
  elseif status == 'sold_out' and remaining > 0 then
    redis.call('HSET', EV, 'status', 'available')
  end
end

-- Appends the change that made the event's current version (and the seats moved since the last call) to its
-- change log, keeping its last 'logmax' changes (10000 for an event without the field).
local function log_change()
  local ev = redis.call('HMGET', EV, 'version', 'lt', 'lat', 'la', 'logmax')
  local list = {}
  for i, s in ipairs(moved_seats or {}) do list[i] = s[1] .. ':' .. s[2] end
  redis.call('RPUSH', LOG, ev[1] .. '|' .. ev[2] .. '|' .. ev[3] .. '|' .. (moved_to or '') .. '|'
      .. table.concat(list, ',') .. '|' .. ev[4])
  redis.call('LTRIM', LOG, -tonumber(ev[5] or 10000), -1)
  moved_seats, moved_to = nil, nil
end

-- One change: the version grows by one and lastEvent describes it.
local function bump(change_type, actor, seats, at)
  redis.call('HINCRBY', EV, 'version', 1)
  redis.call('HSET', EV, 'lt', change_type, 'la', actor, 'ls', seats, 'lat', at)
  log_change()
end

-- Ends a held or confirmed reservation: its seats become available.
local function release(rid, r, new_status, change_type, actor, now)
  local seats = parse_seats(r[4])
  move(seats, r[3] == 'held' and 'r' or 's', 'a')
  redis.call('HINCRBY', BUYERS, r[2], -#seats)
  if r[3] == 'held' then redis.call('ZREM', HOLDS, rid) end
  redis.call('HSET', res_key(rid), 'status', new_status)
  r[3] = new_status
  bump(change_type, actor, #seats, now)
end
