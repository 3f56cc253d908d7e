-- 0010: browsing one variant's key pool page by page (KeyBrowsing, the console's key-pool table), oldest
-- first by (created_at, id), all keys or those of one status. 0003's indexes order a store's keys, not a
-- variant's: with another variant's 100,000 newer keys in the store, the newest page of a variant read
-- past all of them (~50 ms measured, "Rows Removed by Filter: 100000"), and so did a page of 'reserved'
-- keys (~63 ms). With these, every page is a bounded index scan in either direction (~0.1-0.2 ms).
-- Finding a key by its value uses 0003's UNIQUE (tenant_id, variant_id, lookup_hash).
CREATE INDEX license_keys_variant_created_idx ON license_keys (tenant_id, variant_id, created_at, id);
CREATE INDEX license_keys_variant_status_created_idx ON license_keys (tenant_id, variant_id, status, created_at, id);
