-- Admission, in one round trip: provider pause, circuit breaker, retry budget, then a lease of
-- limiter permits for this instance (the first one is the asking call's). Also takes back the
-- instance's previous lease of this provider, if any (settle in common.lua).
-- KEYS: 1 limiter log (zset)  2 breaker (hash)  3 pause (string)  4 retry budget (hash)
--       5 the module's limiter log (zset; used only when ARGV 13 > 0)
-- ARGV (after the contract's names): 1 limit per second of the call's class  2 probe lease ms  3 lease id
--       4 is retry (0|1)  5 budget percent  6 budget floor (retries per window)
--       7 permits wanted (>= 1)  8 lease ms (0: the one permit is used at once, no lease)
--       9 provider id (for events)  10 returned lease member ('' for none)  11 its used permits
--       12 how many ms before its expiry it was last used
--       13 the module's own cap per second (0: none); the returned lease was of the same module
-- Returns {code, ...}: {0, probe, generation, clean, granted} admitted, granted permits leased until
--   now + lease ms (a probe or a retry: exactly 1, no lease); {1, waitMs} rate limited;
--   {2, waitMs, final} circuit open; {3, waitMs} provider paused; {4, 0} retry budget exhausted.
-- A pause and an open breaker cannot end before waitMs (a pause is only ever lengthened, OPEN ends
-- only at open_until), so an instance may answer the same rejection itself until then; a full
-- limiter usually frees a slot at waitMs (earlier when a lease comes back); a half-open probe
-- may end at any moment (final = 0).
local module_cap = tonumber(A(13))
local module_log = module_cap > 0 and KEYS[5] or ''
settle(KEYS[1], KEYS[4], A(10), tonumber(A(11)), tonumber(A(12)), module_log)

local paused_until = tonumber(redis.call('GET', KEYS[3]) or '0')
if paused_until > now then
  return {3, paused_until - now}
end

local state = redis.call('HGET', KEYS[2], F_STATE) or CLOSED
local probe = 0
if state == OPEN then
  local open_until = tonumber(redis.call('HGET', KEYS[2], F_OPEN_UNTIL) or '0')
  if now < open_until then
    return {2, open_until - now, 1}
  end
  probe = 1
elseif state == HALF_OPEN then
  local lease_until = tonumber(redis.call('HGET', KEYS[2], F_PROBE_UNTIL) or '0')
  if now < lease_until then
    return {2, lease_until - now, 0}
  end
  probe = 1 -- the previous probe's lease ran out (its owner died): a new probe
end

-- Retry budget: retries may add at most budget% on top of first attempts in the last 10 s.
local is_retry = A(4) == '1'
if is_retry then
  local second = math.floor(now / 1000)
  local slots = redis.call('HMGET', KEYS[4], '0', '1', '2', '3', '4', '5', '6', '7', '8', '9')
  local firsts, retries = 0, 0
  for i = 1, 10 do
    local at, f, r = bucket(slots[i])
    if at and at > second - 10 then
      firsts, retries = firsts + f, retries + r
    end
  end
  local allowed = math.max(tonumber(A(6)), math.floor(firsts * tonumber(A(5)) / 100))
  if retries >= allowed then
    return {4, 0}
  end
end

-- The class's limit counts every call to the provider (a lower class stops below the provider's
-- limit, leaving the rest to higher ones); a capped module's calls must also fit its own log.
local full_log, free = KEYS[1], tonumber(A(1)) - permits_in_window(KEYS[1])
if module_cap > 0 then
  local module_free = module_cap - permits_in_window(module_log)
  if module_free < free then
    full_log, free = module_log, module_free
  end
end
if free <= 0 then
  -- The oldest member frees its slot 1000 ms after its score; a lease scored in the future may come
  -- back sooner, and a wait is never longer than the window.
  local oldest = redis.call('ZRANGE', full_log, 0, 0, 'WITHSCORES')
  return {1, math.min(1000, tonumber(oldest[2]) + 1000 - now)}
end
-- Lease size: what the instance asks (its recent rate over a lease), at most half of what is left,
-- so that near the limit the last permits go out a few at a time to whichever instance asks.
local granted, lease_ms = 1, 0
if probe == 0 and not is_retry then
  granted = math.max(1, math.min(tonumber(A(7)), math.floor(free / 2)))
  lease_ms = tonumber(A(8))
end
redis.call('ZADD', KEYS[1], now + lease_ms, A(3) .. '/' .. granted)
redis.call('PEXPIRE', KEYS[1], 2000 + lease_ms)
if module_cap > 0 then
  redis.call('ZADD', module_log, now + lease_ms, A(3) .. '/' .. granted)
  redis.call('PEXPIRE', module_log, 2000 + lease_ms)
end
if is_retry then
  count_attempts(KEYS[4], 0, 1)
end

local generation = tonumber(redis.call('HGET', KEYS[2], F_GEN) or '0')
if probe == 1 then
  generation = redis.call('HINCRBY', KEYS[2], F_GEN, 1)
  redis.call('HSET', KEYS[2], F_STATE, HALF_OPEN, F_PROBE_UNTIL, now + tonumber(A(2)))
  redis.call('PEXPIRE', KEYS[2], 86400000)
  announce(T_HALF_OPENED, A(9))
end
-- clean: closed with no failure counted, so recording a success now would change nothing
local clean = 0
if probe == 0 and state == CLOSED and tonumber(redis.call('HGET', KEYS[2], F_FAILURES) or '0') == 0 then
  clean = 1
end
return {0, probe, generation, clean, granted}
