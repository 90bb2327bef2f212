-- The event's statistics (see stats), or false.
if not load_event() then return false end
return stats()
