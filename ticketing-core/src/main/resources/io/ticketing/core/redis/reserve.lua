-- Holds seats for a buyer. ARGV: reservation id, buyer, idempotency key ('' for none), now, expiry, expiry
-- in microseconds, then 'seats' followed by section, subsection, row, seat of each seat, or 'best' followed
-- by section, subsection, quantity. Checks everything before it writes.
local rid, buyer, key, now, exp = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local best = ARGV[7] == 'best'
if not load_event(best and 'sec:' .. ARGV[8] or nil) then return err('not_found', 'does not exist') end
local earlier = reservation(rid, E.uid)
if not earlier and key ~= '' then
  local id = redis.call('HGET', IDEM, buyer .. ':' .. key)
  earlier = id and reservation(id, E.uid)
end
if earlier then return {'replay', earlier} end
if E.status ~= 'available' or E.active ~= '1' then
  return err('conflict', 'is not on sale (status ' .. E.status .. (E.active == '1' and ')' or ', inactive)'))
end
local rows, cols = E.rows, E.cols
-- The event's cap per buyer, if it has one ('cap'), against the buyer's held + confirmed seats.
local cap = tonumber(E.cap)
if cap then
  local had = tonumber(redis.call('HGET', BUYERS, buyer) or 0)
  local more = ARGV[7] == 'seats' and (#ARGV - 7) / 4 or tonumber(ARGV[10])
  if had + more > cap then return err('limit_exceeded', 'over the cap', {had, more, cap}) end
end

-- The block of a subsection, or nil if the event has none such.
local function block_of(section, subsection)
  local name = 'sec:' .. section
  if E[name] == nil then E[name] = redis.call('HGET', EV, name) end
  local sec = E[name]
  local sub = tonumber(subsection)
  if not sec or not sub then return nil end
  local first, count = string.match(sec, '(%d+):(%d+)')
  if sub < 1 or sub > tonumber(count) then return nil end
  return tonumber(first) + sub - 1
end

-- The first seat (0-based) of the best run of quantity adjacent available seats in one row: fewest seats
-- newly stranded (left alone between taken seats or the row's ends), then middle nearest the row's middle,
-- then lowest; nil if the row has no such run.
local function best_run(line, quantity)
  local best, best_stranded, best_distance
  for a, b in string.gmatch(line, '()a+()') do
    local run_start, run_end = a - 1, b - 1
    for s = run_start, run_end - quantity do
      local stranded = (s - run_start == 1 and 1 or 0) + (run_end - s - quantity == 1 and 1 or 0)
      local distance = math.abs(2 * s + quantity - cols)
      if not best or stranded < best_stranded or (stranded == best_stranded and distance < best_distance) then
        best, best_stranded, best_distance = s, stranded, distance
      end
    end
  end
  return best
end

-- quantity seats of block k, ranked as the API says: in the front row where a run of quantity adjacent seats
-- strands no seat, else in the front row that has such a run at all, the best run of that row; else separate
-- seats, front rows first, nearest the row's middle first. Nil if fewer are available. Finds the row from the
-- rows' runs masks (see runs_key), from the first row that may have a free seat: a hint kept per block (the
-- counter h), raised here (written by the move that follows) and lowered whenever a seat comes back; reads
-- the seats of the chosen row only, and returns it too (for move) when the seats are adjacent.
local function best_available(k, quantity)
  if counter(k, 'a') < quantity then return nil end
  local hint = counter(k, 'h')
  local runs = redis.call('GETRANGE', runs_key(k), hint * MASK, rows * MASK - 1)
  -- a run of exactly quantity seats sets bit quantity-1 (fits); a run of quantity+2 or more, a bit from quantity+1 up
  local fits, longer = 2 ^ (quantity - 1), 2 ^ (quantity + 1)
  -- each distinct mask's class, decoded once (a row's mask is compared as its 7 bytes): 0 no free seat, 1 free
  -- seats but no run of quantity, 2 a run of quantity that strands a seat, 3 a run that strands none
  local classes = {}
  local first_free, clean_row, fit_row
  for i = 0, #runs / MASK - 1 do
    local bytes = string.sub(runs, i * MASK + 1, i * MASK + MASK)
    local class = classes[bytes]
    if not class then
      local mask = decode_mask(bytes, 1)
      class = (mask == 0 and 0) or ((mask >= longer or math.floor(mask / fits) % 2 == 1) and 3)
          or (mask >= fits and 2) or 1
      classes[bytes] = class
    end
    if class > 0 then
      first_free = first_free or hint + i
      if class == 3 then
        clean_row = hint + i
        break
      end
      if not fit_row and class == 2 then fit_row = hint + i end
    end
  end
  if first_free > hint then set_counter(k, 'h', first_free) end
  local run_row = clean_row or fit_row
  if run_row then
    local line = redis.call('GETRANGE', seats_key(k), run_row * cols, (run_row + 1) * cols - 1)
    local first = best_run(line, quantity)
    local picked = {}
    for i = 0, quantity - 1 do picked[#picked + 1] = {k, run_row * cols + first + i} end
    return picked, {[k] = {[run_row] = line}}
  end
  local picked = {}
  local row = first_free
  while #picked < quantity do
    local line = redis.call('GETRANGE', seats_key(k), row * cols, row * cols + cols - 1)
    local left, right = math.floor((cols - 1) / 2), math.floor(cols / 2)
    local function take(seat)
      if #picked < quantity and string.byte(line, seat + 1) == 97 then picked[#picked + 1] = {k, row * cols + seat} end
    end
    if left == right then
      take(left)
      left, right = left - 1, right + 1
    end
    while #picked < quantity and (left >= 0 or right < cols) do
      if left >= 0 then take(left) end
      if right < cols then take(right) end
      left, right = left - 1, right + 1
    end
    row = row + 1
  end
  return picked
end

local seats, lines = {}, nil
if not best then
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
  if k then seats, lines = best_available(k, tonumber(ARGV[10])) else seats = nil end
  if not seats then
    return err('seats_unavailable', 'fewer than ' .. ARGV[10] .. ' seats are available in section ' .. ARGV[8]
        .. ' subsection ' .. ARGV[9])
  end
end

move(seats, 'a', 'r', lines)
redis.call('HINCRBY', BUYERS, buyer, #seats)
-- 'sched' bounds the event's score in the sweep's schedule from above; a hold that lapses earlier must
-- lower it, which the caller does with the global script when told so (1).
local sched = tonumber(E.sched)
local earlier_look = 0
if not sched or tonumber(ARGV[6]) < sched then
  earlier_look = 1
  bump('ticket.reserved', 'buyer:' .. buyer, #seats, now, 'sched', ARGV[6])
else
  bump('ticket.reserved', 'buyer:' .. buyer, #seats, now)
end
local list = {}
for i, s in ipairs(seats) do list[i] = s[1] .. ':' .. s[2] end
list = table.concat(list, ',')
redis.call('HSET', res_key(rid), 'buyer', buyer, 'status', 'held', 'seats', list, 'exp', exp, 'created', now)
redis.call('SADD', RIDS, rid)
redis.call('ZADD', HOLDS, ARGV[6], rid)
if key ~= '' then redis.call('HSET', IDEM, buyer .. ':' .. key, rid) end
return {'ok', {rid, buyer, 'held', list, exp, now, false, E.uid}, stats(), earlier_look}
