-- Takes back a lease the instance no longer uses (dropped on an event, or expired unused), so its
-- unused permits free their slots at once rather than when it ages out (settle in common.lua).
-- KEYS: 1 limiter log (zset)  2 retry budget (hash)  3 the module's limiter log, when the lease was a
--       capped module's (absent otherwise)
-- ARGV (after the contract's names): 1 lease member  2 its used permits  3 ms before expiry of last use
settle(KEYS[1], KEYS[2], A(1), tonumber(A(2)), tonumber(A(3)), KEYS[3])
return {0}
