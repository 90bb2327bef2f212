-- The event's fields (all false if there is none).
return event_fields()
