-- A read-only snapshot for health answers: state, failures, ms until half-open, permits charged to
-- the limiter's current window (leased ones count, used or not).
-- KEYS: 1 breaker (hash)  2 limiter log (zset)
local state = redis.call('HGET', KEYS[1], F_STATE) or CLOSED
local failures = tonumber(redis.call('HGET', KEYS[1], F_FAILURES) or '0')
local open_until = tonumber(redis.call('HGET', KEYS[1], F_OPEN_UNTIL) or '0')
local recent = 0
for _, member in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], now - 999, '+inf')) do
  recent = recent + tonumber(string.match(member, '/(%d+)$'))
end
local wait = 0
if state == OPEN and open_until > now then wait = open_until - now end
return {state, failures, wait, recent}
