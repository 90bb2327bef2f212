-- A seller's patch. ARGV: new status ('' to keep), new active flag ('' to keep, '1' or '0'), actor, now, the
-- new cap per buyer ('keep', '' for none, or a number): rules change without a version bump.
-- Returns the event's fields, and its statistics if the status changed.
if not load_event() then return err('not_found', 'does not exist') end
local status, target = E.status, ARGV[1]
-- EventStatus.sellerMayMoveTo
local allowed = {draft = {available = true}, available = {ended = true, completed = true},
                 sold_out = {ended = true, completed = true}}
if target ~= '' and not (allowed[status] and allowed[status][target]) then
  return err('conflict', 'cannot move from ' .. status .. ' to ' .. target)
end
if ARGV[2] ~= '' then redis.call('HSET', EV, 'active', ARGV[2]) end
if ARGV[5] ~= 'keep' then redis.call('HSET', EV, 'cap', ARGV[5]) end
if target == '' then return {'ok', event_fields(), false} end
E.status = target
bump('event.status_changed', ARGV[3], 0, ARGV[4])
return {'ok', event_fields(), stats()}
