-- A buyer's reservations in list order (GET /me/reservations): newest first, then id compared as bytes.
CREATE INDEX reservations_buyer_idx ON reservations (buyer_id, created_at DESC, id COLLATE "C" DESC);
