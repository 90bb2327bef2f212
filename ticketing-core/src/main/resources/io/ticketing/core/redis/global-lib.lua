-- Shared by the scripts on the store's cross-event keys. KEYS[1] is '<prefix>{global}:', so these keys
-- share one cluster slot: the schema marker, the event id counter, the listings (sorted sets of event
-- ids) and the events whose holds the sweep looks at (scored by when to look, in microseconds).
local G = KEYS[1]
local SCHEMA = G .. 'schema'
local EVENTS = G .. 'events'
local DUE = G .. 'hold-events'
local function seller_key(seller) return G .. 'seller:' .. seller end
