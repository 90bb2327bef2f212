-- Shared by the scripts on one buyer's keys. KEYS[1] is '<prefix>{u:<buyer id>}:', so a buyer's keys share
-- one cluster slot (another than any event's).
local U = KEYS[1]
