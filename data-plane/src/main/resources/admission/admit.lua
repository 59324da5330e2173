-- Admission of one attempt, in one round trip: provider pause, circuit breaker, exact sliding-log
-- rate limit, retry budget. All times come from the server (TIME), so instances never disagree.
-- KEYS: 1 limiter log (zset)  2 breaker (hash)  3 pause (string)
--       4 retry budget (hash: at most 10 fields, one per second of the window, field = second mod 10,
--         value 'second:firsts:retries'; a slot whose second left the window counts nothing and is
--         overwritten by the next call in its second, so the hash never grows, and a retry reads only
--         these 10 fields, never anything a healthy provider accumulated)
-- ARGV: 1 limit per second  2 probe lease ms  3 unique member  4 is retry (0|1)
--       5 budget percent  6 budget floor (retries per window)
-- Returns {code, a, b}: {0, probe, generation, clean} admitted; {1, waitMs} rate limited;
--   {2, waitMs, final} circuit open; {3, waitMs} provider paused; {4, 0} retry budget exhausted.
-- A rate limit, a pause and an open breaker cannot end before waitMs (the limiter's log only ages,
-- a pause is only ever lengthened, OPEN ends only at open_until), so an instance may answer the
-- same rejection itself until then; a half-open probe may end at any moment (final = 0).
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)

local paused_until = tonumber(redis.call('GET', KEYS[3]) or '0')
if paused_until > now then
  return {3, paused_until - now}
end

local state = redis.call('HGET', KEYS[2], 'state') or 'closed'
local probe = 0
if state == 'open' then
  local open_until = tonumber(redis.call('HGET', KEYS[2], 'open_until') or '0')
  if now < open_until then
    return {2, open_until - now, 1}
  end
  probe = 1
elseif state == 'half_open' then
  local lease_until = tonumber(redis.call('HGET', KEYS[2], 'probe_until') or '0')
  if now < lease_until then
    return {2, lease_until - now, 0}
  end
  probe = 1 -- the previous probe's lease ran out (its owner died): a new probe
end

-- Retry budget: retries may add at most budget% on top of first attempts in the last 10 s.
local second = math.floor(now / 1000)
local is_retry = ARGV[4] == '1'
local function bucket(value)
  if not value then return nil, 0, 0 end
  local at, firsts, retries = string.match(value, '^(%d+):(%d+):(%d+)$')
  return tonumber(at), tonumber(firsts), tonumber(retries)
end
if is_retry then
  local slots = redis.call('HMGET', KEYS[4], '0', '1', '2', '3', '4', '5', '6', '7', '8', '9')
  local firsts, retries = 0, 0
  for i = 1, 10 do
    local at, f, r = bucket(slots[i])
    if at and at > second - 10 then
      firsts, retries = firsts + f, retries + r
    end
  end
  local allowed = math.max(tonumber(ARGV[6]), math.floor(firsts * tonumber(ARGV[5]) / 100))
  if retries >= allowed then
    return {4, 0}
  end
end

redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - 1000)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {1, tonumber(oldest[2]) + 1000 - now}
end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('PEXPIRE', KEYS[1], 2000)

local slot = tostring(second % 10)
local at, firsts, retries = bucket(redis.call('HGET', KEYS[4], slot))
if at ~= second then firsts, retries = 0, 0 end
if is_retry then retries = retries + 1 else firsts = firsts + 1 end
redis.call('HSET', KEYS[4], slot, second .. ':' .. firsts .. ':' .. retries)
redis.call('PEXPIRE', KEYS[4], 11000)

local generation = tonumber(redis.call('HGET', KEYS[2], 'gen') or '0')
if probe == 1 then
  generation = redis.call('HINCRBY', KEYS[2], 'gen', 1)
  redis.call('HSET', KEYS[2], 'state', 'half_open', 'probe_until', now + tonumber(ARGV[2]))
  redis.call('PEXPIRE', KEYS[2], 86400000)
end
-- clean: closed with no failure counted, so recording a success now would change nothing
local clean = 0
if probe == 0 and state == 'closed' and tonumber(redis.call('HGET', KEYS[2], 'failures') or '0') == 0 then
  clean = 1
end
return {0, probe, generation, clean}
