-- Holds seats for a buyer. ARGV: reservation id, buyer, idempotency key ('' for none), now, expiry, expiry
-- in microseconds, then 'seats' followed by section, subsection, row, seat of each seat, or 'best' followed
-- by section, subsection, quantity. Checks everything before it writes.
local rid, buyer, key, now, exp = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local ev = redis.call('HMGET', EV, 'status', 'active', 'rows', 'cols')
if not ev[1] then return err('not_found', 'does not exist') end
local earlier = reservation(rid)
if not earlier and key ~= '' then
  local id = redis.call('HGET', IDEM, buyer .. ':' .. key)
  earlier = id and reservation(id)
end
if earlier then return {'replay', earlier} end
if ev[1] ~= 'available' or ev[2] ~= '1' then
  return err('conflict', 'is not on sale (status ' .. ev[1] .. (ev[2] == '1' and ')' or ', inactive)'))
end
local rows, cols = tonumber(ev[3]), tonumber(ev[4])

-- The block of a subsection, or nil if the event has none such.
local function block_of(section, subsection)
  local sec = redis.call('HGET', EV, 'sec:' .. section)
  local sub = tonumber(subsection)
  if not sec or not sub then return nil end
  local first, count = string.match(sec, '(%d+):(%d+)')
  if sub < 1 or sub > tonumber(count) then return nil end
  return tonumber(first) + sub - 1
end

-- quantity seats of block k: the first run of adjacent seats in one row, else the first available seats in
-- row order; nil if fewer are available. Reads the block a few KB at a time (whole rows), from the first row
-- that may have a free seat: a hint kept per block, raised here and lowered whenever a seat comes back.
local function best_available(k, quantity)
  if tonumber(redis.call('HGET', CNT, 'a' .. k)) < quantity then return nil end
  local hint = tonumber(redis.call('HGET', EV, 'h' .. k) or 0)
  local chunk_rows = math.max(1, math.floor(4096 / cols))
  local run = string.rep('a', quantity)
  local first_free = nil
  local row = hint
  while row < rows do
    local offset = row * cols
    local s = redis.call('GETRANGE', seats_key(k), offset, offset + chunk_rows * cols - 1)
    if not first_free then
      local f = string.find(s, 'a', 1, true)
      if f then
        first_free = offset + f - 1
        local first_row = math.floor(first_free / cols)
        if first_row > hint then redis.call('HSET', EV, 'h' .. k, first_row) end
      end
    end
    local from = 1
    while first_free do
      local p = string.find(s, run, from, true)
      if not p then break end
      local index = offset + p - 1
      local row_end = (math.floor(index / cols) + 1) * cols
      if index + quantity <= row_end then
        local picked = {}
        for i = 0, quantity - 1 do picked[#picked + 1] = {k, index + i} end
        return picked
      end
      from = row_end - offset + 1
    end
    row = row + chunk_rows
  end
  local s = redis.call('GETRANGE', seats_key(k), first_free, -1)
  local picked = {}
  local from = 1
  while #picked < quantity do
    local p = string.find(s, 'a', from, true)
    picked[#picked + 1] = {k, first_free + p - 1}
    from = p + 1
  end
  return picked
end

local seats = {}
if ARGV[7] == 'seats' then
  for i = 8, #ARGV, 4 do
    local k = block_of(ARGV[i], ARGV[i + 1])
    local row, seat = tonumber(ARGV[i + 2]), tonumber(ARGV[i + 3])
    local name = 'seat ' .. ARGV[i] .. '/' .. ARGV[i + 1] .. ' row ' .. ARGV[i + 2] .. ' seat ' .. ARGV[i + 3]
    if not k or row < 1 or row > rows or seat < 1 or seat > cols then
      return err('seats_unavailable', name .. ' does not exist')
    end
    local pos = (row - 1) * cols + seat - 1
    if redis.call('GETRANGE', seats_key(k), pos, pos) ~= 'a' then
      return err('seats_unavailable', name .. ' is not available')
    end
    seats[#seats + 1] = {k, pos}
  end
else
  local k = block_of(ARGV[8], ARGV[9])
  seats = k and best_available(k, tonumber(ARGV[10]))
  if not seats then
    return err('seats_unavailable', 'fewer than ' .. ARGV[10] .. ' seats are available in section ' .. ARGV[8]
        .. ' subsection ' .. ARGV[9])
  end
end

move(seats, 'a', 'r')
bump('ticket.reserved', 'buyer:' .. buyer, #seats, now)
local list = {}
for i, s in ipairs(seats) do list[i] = s[1] .. ':' .. s[2] end
redis.call('HSET', res_key(rid), 'buyer', buyer, 'status', 'held', 'seats', table.concat(list, ','), 'exp', exp,
    'created', now)
redis.call('SADD', RIDS, rid)
redis.call('ZADD', HOLDS, ARGV[6], rid)
if key ~= '' then redis.call('HSET', IDEM, buyer .. ':' .. key, rid) end
-- 'sched' bounds the event's score in the sweep's schedule from above; a hold that lapses earlier must
-- lower it, which the caller does with the global script when told so (1).
local sched = tonumber(redis.call('HGET', EV, 'sched'))
local earlier_look = 0
if not sched or tonumber(ARGV[6]) < sched then
  redis.call('HSET', EV, 'sched', ARGV[6])
  earlier_look = 1
end
return {'ok', reservation(rid), stats(), earlier_look}
