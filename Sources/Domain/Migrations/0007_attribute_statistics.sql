-- 0007: statistics that let the planner estimate attribute filters.
--
-- value_text's statistics span every attribute key, so `attribute_key = 'platform' AND value_text = 'steam'`
-- was estimated from values of all keys together and badly underestimated; the planner then chose plans
-- that read far more rows than needed (backoffice-bench product_filter_200k: a release_year filter ~31 ms).
-- Multivariate MCV statistics over the pair estimate each (key, value) combination on its own.
CREATE STATISTICS product_attributes_key_value (mcv, dependencies) ON attribute_key, value_text FROM product_attributes;
