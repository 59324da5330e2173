-- A read-only snapshot for health answers: state, failures, ms until half-open, calls in the last second.
-- KEYS: 1 breaker (hash)  2 limiter log (zset)
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call('HGET', KEYS[1], 'state') or 'closed'
local failures = tonumber(redis.call('HGET', KEYS[1], 'failures') or '0')
local open_until = tonumber(redis.call('HGET', KEYS[1], 'open_until') or '0')
local recent = redis.call('ZCOUNT', KEYS[2], now - 999, '+inf')
local wait = 0
if state == 'open' and open_until > now then wait = open_until - now end
return {state, failures, wait, recent}
